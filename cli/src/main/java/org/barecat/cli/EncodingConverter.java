package org.barecat.cli;

import org.barecat.tools.write.NameDecoder;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

import java.nio.charset.Charset;
import java.nio.charset.IllegalCharsetNameException;
import java.nio.charset.UnsupportedCharsetException;

/**
 * Parses {@code --encoding}: a Java charset name or alias ({@code latin1}, {@code cp437},
 * {@code shift_jis}), also spelled with a hyphen before its number as Python and iconv take it
 * ({@code latin-1}). Only encodings that write ASCII as ASCII can encode file names.
 */
final class EncodingConverter implements ITypeConverter<NameDecoder> {
    @Override
    public NameDecoder convert(String value) {
        Charset charset = charset(value);
        if (charset == null) {
            charset = charset(value.replace("-", ""));
        }
        if (charset == null) {
            throw new TypeConversionException("unknown encoding '" + value + "' (examples: latin-1, cp1252, cp437,"
                    + " shift_jis)");
        }
        if (!NameDecoder.isAsciiCompatible(charset)) {
            throw new TypeConversionException("'" + value + "' cannot encode file names (it does not write ASCII as"
                    + " ASCII)");
        }
        return NameDecoder.of(charset);
    }

    private static Charset charset(String name) {
        try {
            return Charset.forName(name);
        } catch (IllegalCharsetNameException | UnsupportedCharsetException e) {
            return null;
        }
    }
}
