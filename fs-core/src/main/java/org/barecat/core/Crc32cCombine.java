package org.barecat.core;

/**
 * Joins CRC-32C checksums: from the checksums of two adjacent byte ranges A and B and the length
 * of B, the checksum of A followed by B, without the bytes. Appending n zero bytes to a CRC is a
 * linear map over GF(2); the maps for 1, 2, 4, ... zero bytes are computed once, and a length is
 * applied one set bit at a time, as zlib's {@code crc32_combine} does for CRC-32 (the same method
 * works for any reflected CRC whose initial value equals its final xor, as here).
 */
final class Crc32cCombine {
    /** The reflected Castagnoli polynomial. */
    private static final int POLYNOMIAL = 0x82F63B78;
    /** {@code ZEROS[k]}: the 32x32 bit matrix that appends 2^k zero bytes to a CRC register. */
    private static final int[][] ZEROS = new int[64][];

    static {
        int[] bit = new int[32]; // appends one zero bit
        bit[0] = POLYNOMIAL;
        for (int n = 1; n < 32; n++) {
            bit[n] = 1 << (n - 1);
        }
        int[] twoBits = square(bit);
        int[] fourBits = square(twoBits);
        ZEROS[0] = square(fourBits);
        for (int k = 1; k < ZEROS.length; k++) {
            ZEROS[k] = square(ZEROS[k - 1]);
        }
    }

    private Crc32cCombine() {
    }

    /** CRC-32C of A followed by B, given CRC-32C of A, of B, and B's length in bytes. */
    static long combine(long crcA, long crcB, long lengthB) {
        int crc = (int) crcA;
        for (int k = 0; lengthB > 0; k++, lengthB >>>= 1) {
            if ((lengthB & 1) != 0) {
                crc = times(ZEROS[k], crc);
            }
        }
        return (crc ^ (int) crcB) & 0xFFFFFFFFL;
    }

    private static int times(int[] matrix, int vector) {
        int sum = 0;
        for (int i = 0; vector != 0; i++, vector >>>= 1) {
            if ((vector & 1) != 0) {
                sum ^= matrix[i];
            }
        }
        return sum;
    }

    private static int[] square(int[] matrix) {
        int[] square = new int[32];
        for (int n = 0; n < 32; n++) {
            square[n] = times(matrix, matrix[n]);
        }
        return square;
    }
}
