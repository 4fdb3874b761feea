package org.mihub.launcher;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.concurrent.TimeUnit;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.UnknownFieldSet;

import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientInterceptors;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.MetadataUtils;

/**
 * Calls a service's {@code mihub.common.v1.ServiceInfo/WhoAmI} directly over gRPC, as a lab robot
 * would, without generated stubs: the request is empty and the reply is read by field number
 * (WhoAmIResponse.caller = 2; Caller.subject = 1, org = 2, roles = 3).
 */
final class GrpcProbe implements AutoCloseable {

    record WhoAmI(String subject, String org, List<String> roles) {
    }

    private static final MethodDescriptor.Marshaller<byte[]> BYTES = new MethodDescriptor.Marshaller<>() {
        @Override
        public InputStream stream(byte[] value) {
            return new ByteArrayInputStream(value);
        }

        @Override
        public byte[] parse(InputStream stream) {
            try {
                return stream.readAllBytes();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    };

    private static final MethodDescriptor<byte[], byte[]> WHO_AM_I = MethodDescriptor.<byte[], byte[]>newBuilder()
            .setType(MethodDescriptor.MethodType.UNARY)
            .setFullMethodName("mihub.common.v1.ServiceInfo/WhoAmI")
            .setRequestMarshaller(BYTES).setResponseMarshaller(BYTES).build();

    private static MethodDescriptor<byte[], byte[]> unary(String fullMethodName) {
        return MethodDescriptor.<byte[], byte[]>newBuilder().setType(MethodDescriptor.MethodType.UNARY)
                .setFullMethodName(fullMethodName).setRequestMarshaller(BYTES).setResponseMarshaller(BYTES).build();
    }

    private final ManagedChannel channel;

    GrpcProbe(int port) {
        channel = ManagedChannelBuilder.forAddress(StackConfig.HOST, port).usePlaintext().build();
    }

    /** A unary call with a raw request; throws StatusRuntimeException when refused. */
    byte[] call(String token, String fullMethodName, byte[] request) {
        return call(token, unary(fullMethodName), request);
    }

    private byte[] call(String token, MethodDescriptor<byte[], byte[]> method, byte[] request) {
        return ClientCalls.blockingUnaryCall(as(token), method, CallOptions.DEFAULT.withDeadlineAfter(10,
                TimeUnit.SECONDS), request);
    }

    /** The channel, sending the bearer token when there is one. */
    private Channel as(String token) {
        if (token == null) {
            return channel;
        }
        Metadata headers = new Metadata();
        headers.put(Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER), "Bearer " + token);
        return ClientInterceptors.intercept(channel, MetadataUtils.newAttachHeadersInterceptor(headers));
    }

    /**
     * WhoAmI with these Authorization header values exactly as given (none, one malformed, several);
     * throws StatusRuntimeException when refused.
     */
    void whoAmIWithAuthorization(List<String> values) {
        Metadata headers = new Metadata();
        values.forEach(value -> headers.put(Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER), value));
        ClientCalls.blockingUnaryCall(ClientInterceptors.intercept(channel,
                MetadataUtils.newAttachHeadersInterceptor(headers)), WHO_AM_I,
                CallOptions.DEFAULT.withDeadlineAfter(10, TimeUnit.SECONDS), new byte[0]);
    }

    /** A server-streaming call with a raw request: every message until the stream ends. */
    List<byte[]> stream(String token, String fullMethodName, byte[] request) {
        MethodDescriptor<byte[], byte[]> method = MethodDescriptor.<byte[], byte[]>newBuilder()
                .setType(MethodDescriptor.MethodType.SERVER_STREAMING).setFullMethodName(fullMethodName)
                .setRequestMarshaller(BYTES).setResponseMarshaller(BYTES).build();
        List<byte[]> messages = new java.util.ArrayList<>();
        ClientCalls.blockingServerStreamingCall(as(token), method, CallOptions.DEFAULT.withDeadlineAfter(3,
                TimeUnit.MINUTES), request).forEachRemaining(messages::add);
        return messages;
    }

    /** A varint field of a message (an enum or an integer), 0 when absent. */
    static long varint(byte[] message, int field) throws InvalidProtocolBufferException {
        var values = UnknownFieldSet.parseFrom(message).getField(field).getVarintList();
        return values.isEmpty() ? 0 : values.get(0);
    }

    /** A string field of a message, "" when absent. */
    static String string(byte[] message, int field) throws InvalidProtocolBufferException {
        return text(UnknownFieldSet.parseFrom(message), field);
    }

    /** A message with one string field 1 (GetDatasetRequest.id and the like). */
    static byte[] stringField1(String value) {
        return UnknownFieldSet.newBuilder().addField(1, UnknownFieldSet.Field.newBuilder()
                .addLengthDelimited(ByteString.copyFromUtf8(value)).build()).build().toByteArray();
    }

    /** WhoAmI with the given bearer token (none when null); throws StatusRuntimeException when refused. */
    WhoAmI whoAmI(String token) throws InvalidProtocolBufferException {
        byte[] reply = call(token, WHO_AM_I, new byte[0]);
        UnknownFieldSet caller = UnknownFieldSet.parseFrom(
                UnknownFieldSet.parseFrom(reply).getField(2).getLengthDelimitedList().get(0));
        return new WhoAmI(text(caller, 1), text(caller, 2),
                caller.getField(3).getLengthDelimitedList().stream().map(ByteString::toStringUtf8).toList());
    }

    private static String text(UnknownFieldSet message, int field) {
        var values = message.getField(field).getLengthDelimitedList();
        return values.isEmpty() ? "" : values.get(0).toStringUtf8();
    }

    @Override
    public void close() {
        channel.shutdownNow();
    }
}
