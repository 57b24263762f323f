package org.barecat.fuse.kernel;

import com.kenai.jffi.MemoryIO;
import jnr.ffi.Memory;
import jnr.ffi.Pointer;
import jnr.ffi.Runtime;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Native memory for requests and replies, as a {@link ByteBuffer} (native byte order) and by address
 * for system calls. Not zeroed: a page the process never writes costs no memory, so a worker's
 * 1 MiB reply buffer takes only what its largest reply touched.
 */
public final class NativeBuffer {
    private final Pointer memory; // owns the allocation: freed once unreachable
    private final long address;
    private final ByteBuffer bytes;

    private NativeBuffer(Pointer memory, int capacity) {
        this.memory = memory;
        this.address = memory.address();
        this.bytes = MemoryIO.getInstance().newDirectByteBuffer(address, capacity).order(ByteOrder.nativeOrder());
    }

    public static NativeBuffer allocate(int capacity) {
        return new NativeBuffer(Memory.allocateDirect(Runtime.getSystemRuntime(), capacity, false), capacity);
    }

    public long address() {
        return address;
    }

    /** The whole buffer; callers use absolute gets and puts, or their own slices. */
    public ByteBuffer bytes() {
        return bytes;
    }

    public int capacity() {
        return bytes.capacity();
    }

    Pointer pointer() {
        return memory;
    }
}
