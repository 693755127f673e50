package net.ctracker.bencode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class BencodeTest {

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    @Test
    @SuppressWarnings("unchecked")
    void writesAndReadsBackNestedValues() {
        byte[] binary = new byte[256];
        for (int i = 0; i < 256; i++) {
            binary[i] = (byte) i;
        }
        byte[] encoded = new BencodeWriter(4).beginDict()
                .string("a").integer(Long.MIN_VALUE)
                .string("b").bytes(binary)
                .string("c").beginList().integer(0).integer(-7).integer(Long.MAX_VALUE).string("").end()
                .string("d").beginDict().end()
                .end().toByteArray();

        Map<ByteKey, Object> dict = (Map<ByteKey, Object>) BencodeReader.decode(encoded);
        assertThat(dict.get(ByteKey.of("a"))).isEqualTo(Long.MIN_VALUE);
        assertThat((byte[]) dict.get(ByteKey.of("b"))).isEqualTo(binary);
        assertThat((List<Object>) dict.get(ByteKey.of("c"))).hasSize(4).startsWith(0L, -7L, Long.MAX_VALUE);
        assertThat((Map<?, ?>) dict.get(ByteKey.of("d"))).isEmpty();
    }

    @Test
    void randomIntegersRoundTrip() {
        Random random = new Random(42);
        BencodeWriter w = new BencodeWriter();
        for (int i = 0; i < 10_000; i++) {
            long v = random.nextLong() >> random.nextInt(64);
            assertThat(BencodeReader.decode(w.reset().integer(v).toByteArray())).isEqualTo(v);
        }
    }

    @Test
    void writerResetReusesItsBuffer() {
        BencodeWriter w = new BencodeWriter(16);
        w.string("some longer text that grows the buffer");
        byte[] grown = w.buffer();
        w.reset().integer(1);
        assertThat(w.buffer()).isSameAs(grown);
        assertThat(w.toByteArray()).isEqualTo(b("i1e"));
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
            "i01e        | leading zero in integer   | 1",
            "i-0e        | negative zero             | 2",
            "ie          | empty integer             | 0",
            "i12         | unterminated integer      | 0",
            "i1x2e       | non-digit in integer      | 2",
            "i9223372036854775808e | integer out of range | 0",
            "i-9223372036854775809e | integer out of range | 0",
            "5:abc       | string runs past the end  | 0",
            "03:abc      | leading zero in string length | 0",
            "3abc        | non-digit in string length | 1",
            "l           | unterminated list         | 1",
            "d1:a        | unexpected end of input   | 4",
            "d1:bi1e1:ai2ee | dictionary keys out of order | 7",
            "d1:ai1e1:ai2ee | repeated dictionary key | 7",
            "di1ei2ee    | dictionary key is not a string | 1",
            "i1ei2e      | trailing bytes            | 3",
            "x           | unexpected byte           | 0",
            "''          | unexpected end of input   | 0",
    })
    void rejectsMalformedInputWithItsOffset(String input, String message, int offset) {
        assertThatThrownBy(() -> BencodeReader.decode(b(input)))
                .isInstanceOf(BencodeException.class)
                .hasMessageContaining(message)
                .satisfies(e -> assertThat(((BencodeException) e).offset()).isEqualTo(offset));
    }

    @Test
    void enforcesDepthAndLengthLimits() {
        BencodeReader.Limits limits = new BencodeReader.Limits(3, 4);
        assertThat(BencodeReader.decode(b("lllee" + "e"), limits)).isNotNull();
        assertThatThrownBy(() -> BencodeReader.decode(b("lllleeee"), limits))
                .hasMessageContaining("nesting deeper than 3");
        assertThatThrownBy(() -> BencodeReader.decode(b("5:abcde"), limits))
                .hasMessageContaining("string longer than 4");
    }

    @Test
    void hugeDeclaredLengthFailsWithoutAllocating() {
        assertThatThrownBy(() -> BencodeReader.decode(b("99999999999999999999:x")))
                .isInstanceOf(BencodeException.class).hasMessageContaining("string longer than");
    }
}
