package org.mihub.common.identity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;

/** The verified-token cache: exact tokens only, never past the token's expiry or the TTL, bounded. */
class VerifiedTokensTest {

    /** A clock the test moves. */
    private static final class TestClock extends Clock {
        final AtomicLong millis = new AtomicLong(1_800_000_000_000L);

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return Instant.ofEpochMilli(millis.get());
        }

        long seconds() {
            return millis.get() / 1000;
        }
    }

    private static SecurityIdentity identity(String name) {
        return QuarkusSecurityIdentity.builder().setPrincipal(() -> name).addRole("member").build();
    }

    @Test
    void onlyTheExactTokenIsFound() {
        var clock = new TestClock();
        var tokens = new VerifiedTokens(100, Duration.ofSeconds(60), clock);
        tokens.remember("header.payload.signature", identity("alice"), clock.seconds() + 300);
        assertEquals("alice", tokens.find("header.payload.signature").orElseThrow().getPrincipal().getName());
        assertTrue(tokens.find("header.payload.signaturf").isEmpty());
        assertTrue(tokens.find("header.payload2.signature").isEmpty());
    }

    @Test
    void aTokenIsForgottenWhenItExpires() {
        var clock = new TestClock();
        var tokens = new VerifiedTokens(100, Duration.ofSeconds(60), clock);
        tokens.remember("t", identity("bob"), clock.seconds() + 2);
        clock.millis.addAndGet(1_999);
        assertTrue(tokens.find("t").isPresent());
        clock.millis.addAndGet(1);
        assertTrue(tokens.find("t").isEmpty(), "not at its exp second");
    }

    @Test
    void aLongLivedTokenIsVerifiedAgainAfterTheTtl() {
        var clock = new TestClock();
        var tokens = new VerifiedTokens(100, Duration.ofSeconds(60), clock);
        tokens.remember("t", identity("carol"), clock.seconds() + 3600);
        clock.millis.addAndGet(59_999);
        assertTrue(tokens.find("t").isPresent());
        clock.millis.addAndGet(1);
        assertTrue(tokens.find("t").isEmpty());
    }

    @Test
    void anExpiredTokenIsNeverRemembered() {
        var clock = new TestClock();
        var tokens = new VerifiedTokens(100, Duration.ofSeconds(60), clock);
        tokens.remember("t", identity("dave"), clock.seconds() - 1);
        assertTrue(tokens.find("t").isEmpty());
    }

    @Test
    void theCacheIsBounded() {
        var clock = new TestClock();
        var tokens = new VerifiedTokens(50, Duration.ofSeconds(60), clock);
        for (int i = 0; i < 1000; i++) {
            tokens.remember("token-" + i, identity("u" + i), clock.seconds() + 300);
        }
        assertTrue(tokens.size() <= 50, "size " + tokens.size());
    }
}
