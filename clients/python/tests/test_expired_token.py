"""A real token is refused once it expires, over REST (401 problem) and over gRPC (UNAUTHENTICATED),
each as a clear exception; so is a token that was never valid."""

import os
import time
import unittest

import mihub
from suite import URL, env, expires_at, needs_suite


@needs_suite
class ExpiredToken(unittest.TestCase):

    def test_accepted_then_refused_once_expired(self):
        token = env("MIHUB_EXPIRING_TOKEN")
        hub = mihub.Hub(URL, token, planning_target=os.environ.get("MIHUB_PLANNING_GRPC"))
        try:
            left = expires_at(token) - time.time()
            self.assertLess(left, 60, "the token should live for seconds")
            self.assertGreater(left, 1, "the token expired before the test began: nothing is tested")
            self.assertTrue(hub.me().org)
            time.sleep(max(0.0, expires_at(token) - time.time()) + 2)
            with self.assertRaises(mihub.Unauthenticated) as rest:
                hub.me()
            self.assertEqual(401, rest.exception.status)
            with self.assertRaises(mihub.Unauthenticated) as grpc:
                with hub.lab_session("00000000-0000-0000-0000-000000000000", "py-robot-expired"):
                    pass
            self.assertEqual("UNAUTHENTICATED", grpc.exception.code)
        finally:
            hub.close()

    def test_a_forged_token_is_refused_too(self):
        hub = mihub.Hub(URL, "eyJhbGciOiJub25lIn0.eyJzdWIiOiJtYWxsb3J5In0.",
                        planning_target=os.environ.get("MIHUB_PLANNING_GRPC"))
        try:
            with self.assertRaises(mihub.Unauthenticated):
                hub.create_dataset("never")
            with self.assertRaises(mihub.Unauthenticated):
                hub.lab_session("00000000-0000-0000-0000-000000000000", "py-robot-forged")
        finally:
            hub.close()


if __name__ == "__main__":
    unittest.main()
