package org.barecat.fuse.kernel;

/**
 * Where requests come from and replies go: the kernel's {@code /dev/fuse} connection
 * ({@link KernelChannel}), or memory (requests made up for a warm-up, byte fixtures in tests).
 */
public interface Channel {
    /**
     * Reads the next request into {@code into}, from its start: the request's length, or a negative
     * errno: {@code -EINTR}, {@code -EAGAIN} and {@code -ENOENT} (that request was interrupted) mean
     * try again, {@code -ENODEV} that the file system was unmounted.
     */
    int receive(NativeBuffer into);

    /**
     * Writes {@code length} bytes of {@code from} from {@code offset} (a reply or a notification): 0, or
     * a negative errno ({@code -ENOENT}: the request was interrupted, the kernel dropped the reply).
     */
    int send(NativeBuffer from, int offset, int length);
}
