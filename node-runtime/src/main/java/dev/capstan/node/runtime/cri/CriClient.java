package dev.capstan.node.runtime.cri;

import dev.capstan.node.runtime.RuntimeFailure;
import dev.capstan.node.runtime.cri.v1.ImageServiceGrpc;
import dev.capstan.node.runtime.cri.v1.ImageSpec;
import dev.capstan.node.runtime.cri.v1.ImageStatusRequest;
import dev.capstan.node.runtime.cri.v1.RuntimeServiceGrpc;
import dev.capstan.node.runtime.cri.v1.VersionRequest;
import dev.capstan.node.runtime.cri.v1.VersionResponse;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.NettyChannelBuilder;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.EpollDomainSocketChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.unix.DomainSocketAddress;
import io.netty.util.concurrent.DefaultThreadFactory;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * A gRPC connection to a CRI endpoint on a unix socket (Netty, native epoll), with deadlines on
 * every call and gRPC errors turned into {@link RuntimeFailure}s a user can read. Thread-safe.
 */
final class CriClient implements AutoCloseable {

    static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);

    /** A failed CRI call; {@link #code()} lets callers treat NOT_FOUND as "already gone". */
    static final class CallFailure extends RuntimeFailure {
        private final Status.Code code;

        CallFailure(String message, Status.Code code, Throwable cause) {
            super(message, cause);
            this.code = code;
        }

        Status.Code code() {
            return code;
        }

        boolean notFound() {
            return code == Status.Code.NOT_FOUND;
        }
    }

    /** One gRPC call. */
    @FunctionalInterface
    interface Call<T> {
        T run();
    }

    private final Path socket;
    private final EventLoopGroup group;
    private final ManagedChannel channel;

    private CriClient(Path socket) {
        this.socket = socket;
        this.group = new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("capstan-cri", true),
                EpollIoHandler.newFactory());
        this.channel = NettyChannelBuilder.forAddress(new DomainSocketAddress(socket.toString()))
                .eventLoopGroup(group)
                .channelType(EpollDomainSocketChannel.class)
                .usePlaintext()
                .overrideAuthority("localhost")
                .maxInboundMessageSize(16 * 1024 * 1024)
                .build();
    }

    /** Opens a channel (lazily: nothing is sent until the first call). */
    static CriClient connect(Path socket) throws RuntimeFailure {
        try {
            return new CriClient(socket);
        } catch (RuntimeException | UnsatisfiedLinkError e) {
            throw new RuntimeFailure("cannot open a gRPC channel to " + socket + ": " + e.getMessage()
                    + " (the native epoll transport needs Linux x86_64 or aarch64)", e);
        }
    }

    Path socket() {
        return socket;
    }

    RuntimeServiceGrpc.RuntimeServiceBlockingStub runtime(Duration timeout) {
        return RuntimeServiceGrpc.newBlockingStub(channel).withDeadlineAfter(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    RuntimeServiceGrpc.RuntimeServiceBlockingStub runtime() {
        return runtime(DEFAULT_TIMEOUT);
    }

    /** An asynchronous stub, for calls that should run side by side (stopping several containers). */
    RuntimeServiceGrpc.RuntimeServiceFutureStub runtimeAsync(Duration timeout) {
        return RuntimeServiceGrpc.newFutureStub(channel).withDeadlineAfter(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Waits for an asynchronous call; {@code what} as in {@link #call}. */
    <T> T await(String what, java.util.concurrent.Future<T> future) throws CallFailure {
        try {
            return future.get();
        } catch (java.util.concurrent.ExecutionException e) {
            if (e.getCause() instanceof StatusRuntimeException sre) {
                throw failure(what, sre);
            }
            throw new CallFailure("containerd could not " + what + ": " + e.getCause(), Status.Code.UNKNOWN, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            future.cancel(true);
            throw new CallFailure("interrupted while waiting for containerd to " + what, Status.Code.CANCELLED, e);
        }
    }

    ImageServiceGrpc.ImageServiceBlockingStub images(Duration timeout) {
        return ImageServiceGrpc.newBlockingStub(channel).withDeadlineAfter(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Runs one call; {@code what} completes the sentence "containerd could not ...". */
    <T> T call(String what, Call<T> call) throws CallFailure {
        try {
            return call.run();
        } catch (StatusRuntimeException e) {
            throw failure(what, e);
        }
    }

    VersionResponse version(Duration timeout) throws CallFailure {
        return call("report its version", () -> runtime(timeout).version(VersionRequest.newBuilder().setVersion("v1").build()));
    }

    /** True when the image is present (ImageStatus answers with an image; a missing one is not an error). */
    boolean hasImage(String image) throws CallFailure {
        return call("look up image " + image, () -> images(DEFAULT_TIMEOUT).imageStatus(ImageStatusRequest.newBuilder()
                .setImage(ImageSpec.newBuilder().setImage(image)).build()).hasImage());
    }

    private CallFailure failure(String what, StatusRuntimeException e) {
        Status status = e.getStatus();
        String detail = status.getDescription() != null ? status.getDescription()
                : status.getCause() != null ? status.getCause().getMessage() : status.getCode().toString();
        String message = switch (status.getCode()) {
            case UNAVAILABLE -> "containerd is not answering on " + socket + " (is it running, and may this user open the"
                    + " socket?) while trying to " + what + ": " + detail;
            case DEADLINE_EXCEEDED -> "containerd on " + socket + " did not " + what + " in time: " + detail;
            case UNIMPLEMENTED -> "containerd on " + socket + " does not speak CRI runtime.v1 (needs containerd 1.6+ with"
                    + " the CRI plugin enabled); could not " + what + ": " + detail;
            default -> "containerd could not " + what + ": " + detail;
        };
        return new CallFailure(message, status.getCode(), e);
    }

    @Override
    public void close() {
        channel.shutdown();
        try {
            if (!channel.awaitTermination(2, TimeUnit.SECONDS)) {
                channel.shutdownNow();
            }
        } catch (InterruptedException e) {
            channel.shutdownNow();
            Thread.currentThread().interrupt();
        }
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
    }
}
