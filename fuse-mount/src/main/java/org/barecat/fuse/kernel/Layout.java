package org.barecat.fuse.kernel;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One C struct of the kernel's FUSE protocol ({@code linux/fuse.h}), laid out as a C compiler on
 * Linux lays it out: each field at the next multiple of its own size, the whole padded to its largest
 * field. Code reads offsets from here by field name once, into constants; {@code AbiTest} checks every
 * layout against the header itself.
 */
public final class Layout {
    /** A field: its name (nested fields as {@code outer.inner}), offset and size in bytes. */
    public record Field(String name, int offset, int size) {
    }

    private final String name;
    private final Map<String, Field> fields = new LinkedHashMap<>();
    private int size;
    private int align = 1;
    private boolean ended;

    private Layout(String name) {
        this.name = name;
    }

    static Layout struct(String name) {
        return new Layout(name);
    }

    Layout u16(String field) {
        return add(field, 2);
    }

    Layout u32(String field) {
        return add(field, 4);
    }

    Layout u64(String field) {
        return add(field, 8);
    }

    /** {@code count} fields of {@code elementSize} bytes, one C array. */
    Layout array(String field, int elementSize, int count) {
        place(elementSize);
        fields.put(field, new Field(field, size, elementSize * count));
        size += elementSize * count;
        return this;
    }

    /** A struct inside this one: its fields appear as {@code field.inner}. */
    Layout nested(String field, Layout inner) {
        place(inner.align);
        fields.put(field, new Field(field, size, inner.size));
        for (Field f : inner.fields.values()) {
            fields.put(field + "." + f.name, new Field(field + "." + f.name, size + f.offset, f.size));
        }
        size += inner.size;
        return this;
    }

    /** Ends the struct: its size is padded to its alignment. */
    Layout end() {
        size = (size + align - 1) / align * align;
        ended = true;
        return this;
    }

    private Layout add(String field, int bytes) {
        place(bytes);
        fields.put(field, new Field(field, size, bytes));
        size += bytes;
        return this;
    }

    private void place(int alignment) {
        if (ended) {
            throw new IllegalStateException(name + " has ended");
        }
        align = Math.max(align, alignment);
        size = (size + alignment - 1) / alignment * alignment;
    }

    /** The offset of {@code field} (for a nested one, {@code outer.inner}). */
    public int at(String field) {
        Field f = fields.get(field);
        if (f == null) {
            throw new IllegalArgumentException(name + " has no field " + field);
        }
        return f.offset;
    }

    public int size() {
        return size;
    }

    public String name() {
        return name;
    }

    /** Every field, nested ones included, in declaration order. */
    public List<Field> fields() {
        return Collections.unmodifiableList(new ArrayList<>(fields.values()));
    }
}
