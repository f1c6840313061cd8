package io.pipeserve.runtime.gateway.oip.http;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.pipeserve.runtime.gateway.Float16;
import io.pipeserve.runtime.gateway.oip.BFloat16;
import io.pipeserve.runtime.gateway.oip.Datatype;
import io.pipeserve.runtime.gateway.oip.OipError;
import io.pipeserve.runtime.gateway.oip.Shapes;
import io.pipeserve.runtime.tensor.Tensor;
import java.io.IOException;
import java.lang.reflect.Array;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The {@code data} of a JSON tensor: its elements in row-major order, as one flat array or nested
 * arrays (any nesting; only the order and count matter, as in Triton). Values are read straight
 * into the tensor's primitive array. Integers must be whole and within their type's range; the
 * float types take numbers and the strings "NaN", "Infinity" and "-Infinity" (FP16 and BF16 rounded
 * from the number); BOOL takes true/false; BYTES takes strings (their UTF-8 bytes).
 */
final class JsonData {
  private static final BigInteger UINT64_MAX =
      BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE);

  private JsonData() {}

  /**
   * Reads the data value the parser is on (an array, or a single scalar for one element).
   *
   * @param where the tensor, for errors ("input 'x'")
   */
  static Tensor read(JsonParser p, Datatype type, long[] shape, String where) throws IOException {
    int n = (int) Shapes.elementCount(shape, where);
    Values values = new Values(type, n, where);
    if (p.currentToken() != JsonToken.START_ARRAY) {
      values.add(p);
    } else {
      int depth = 0;
      do {
        JsonToken token = p.currentToken();
        if (token == JsonToken.START_ARRAY) {
          depth++;
        } else if (token == JsonToken.END_ARRAY) {
          depth--;
        } else {
          values.add(p);
        }
        if (depth > 0) {
          p.nextToken();
        }
      } while (depth > 0);
    }
    if (values.count != n) {
      throw OipError.invalid(
          where
              + ": shape "
              + Arrays.toString(shape)
              + " holds "
              + n
              + " elements but data has "
              + values.count);
    }
    return new Tensor(type.dtype(), shape, values.array);
  }

  /** Writes the tensor's elements as one flat array. */
  static void write(JsonGenerator g, Tensor tensor) throws IOException {
    Object data = tensor.data();
    g.writeStartArray();
    switch (tensor.dtype()) {
      case BOOL -> {
        for (boolean v : (boolean[]) data) {
          g.writeBoolean(v);
        }
      }
      case UINT8 -> {
        for (byte v : (byte[]) data) {
          g.writeNumber(v & 0xff);
        }
      }
      case INT8 -> {
        for (byte v : (byte[]) data) {
          g.writeNumber(v);
        }
      }
      case UINT16 -> {
        for (short v : (short[]) data) {
          g.writeNumber(v & 0xffff);
        }
      }
      case INT16 -> {
        for (short v : (short[]) data) {
          g.writeNumber(v);
        }
      }
      case FP16 -> {
        for (short v : (short[]) data) {
          g.writeNumber(Float16.toFloat(v));
        }
      }
      case BF16 -> {
        for (short v : (short[]) data) {
          g.writeNumber(BFloat16.toFloat(v));
        }
      }
      case UINT32 -> {
        for (int v : (int[]) data) {
          g.writeNumber(Integer.toUnsignedLong(v));
        }
      }
      case INT32 -> {
        for (int v : (int[]) data) {
          g.writeNumber(v);
        }
      }
      case UINT64 -> {
        for (long v : (long[]) data) {
          if (v >= 0) {
            g.writeNumber(v);
          } else {
            g.writeNumber(new BigInteger(Long.toUnsignedString(v)));
          }
        }
      }
      case INT64 -> {
        for (long v : (long[]) data) {
          g.writeNumber(v);
        }
      }
      case FP32 -> {
        for (float v : (float[]) data) {
          g.writeNumber(v);
        }
      }
      case FP64 -> {
        for (double v : (double[]) data) {
          g.writeNumber(v);
        }
      }
      case BYTES -> {
        for (byte[] v : (byte[][]) data) {
          g.writeString(new String(v, StandardCharsets.UTF_8));
        }
      }
      case STRING -> {
        for (String v : (String[]) data) {
          g.writeString(v);
        }
      }
    }
    g.writeEndArray();
  }

  /** The elements read so far, in the tensor's array. */
  private static final class Values {
    final Datatype type;
    final Object array;
    final String where;
    int count;

    Values(Datatype type, int n, String where) {
      this.type = type;
      this.array = Array.newInstance(type.dtype().arrayType().getComponentType(), n);
      this.where = where;
    }

    void add(JsonParser p) throws IOException {
      int i = count++;
      if (i >= Array.getLength(array)) {
        p.skipChildren(); // counted only: the total is reported once the data ends
        return;
      }
      switch (type) {
        case BOOL -> ((boolean[]) array)[i] = bool(p, i);
        case UINT8 -> ((byte[]) array)[i] = (byte) integer(p, i, 0, 0xff);
        case INT8 -> ((byte[]) array)[i] = (byte) integer(p, i, Byte.MIN_VALUE, Byte.MAX_VALUE);
        case UINT16 -> ((short[]) array)[i] = (short) integer(p, i, 0, 0xffff);
        case INT16 ->
            ((short[]) array)[i] = (short) integer(p, i, Short.MIN_VALUE, Short.MAX_VALUE);
        case UINT32 -> ((int[]) array)[i] = (int) integer(p, i, 0, 0xffffffffL);
        case INT32 ->
            ((int[]) array)[i] = (int) integer(p, i, Integer.MIN_VALUE, Integer.MAX_VALUE);
        case UINT64 -> ((long[]) array)[i] = unsigned64(p, i);
        case INT64 -> ((long[]) array)[i] = integer(p, i, Long.MIN_VALUE, Long.MAX_VALUE);
        case FP16 -> ((short[]) array)[i] = Float16.fromFloat((float) real(p, i));
        case BF16 -> ((short[]) array)[i] = BFloat16.fromFloat((float) real(p, i));
        case FP32 -> ((float[]) array)[i] = (float) real(p, i);
        case FP64 -> ((double[]) array)[i] = real(p, i);
        case BYTES -> ((byte[][]) array)[i] = string(p, i).getBytes(StandardCharsets.UTF_8);
      }
    }

    private boolean bool(JsonParser p, int i) throws IOException {
      JsonToken t = p.currentToken();
      if (t == JsonToken.VALUE_TRUE || t == JsonToken.VALUE_FALSE) {
        return t == JsonToken.VALUE_TRUE;
      }
      throw wrongValue(p, i, "true or false");
    }

    private long integer(JsonParser p, int i, long min, long max) throws IOException {
      if (p.currentToken() != JsonToken.VALUE_NUMBER_INT) {
        throw wrongValue(p, i, "an integer");
      }
      if (p.getNumberType() == JsonParser.NumberType.BIG_INTEGER) {
        throw outOfRange(p.getText(), i, min, Long.toString(max));
      }
      long v = p.getLongValue();
      if (v < min || v > max) {
        throw outOfRange(Long.toString(v), i, min, Long.toString(max));
      }
      return v;
    }

    private long unsigned64(JsonParser p, int i) throws IOException {
      if (p.currentToken() != JsonToken.VALUE_NUMBER_INT) {
        throw wrongValue(p, i, "an integer");
      }
      BigInteger v = p.getBigIntegerValue();
      if (v.signum() < 0 || v.compareTo(UINT64_MAX) > 0) {
        throw outOfRange(v.toString(), i, 0, UINT64_MAX.toString());
      }
      return v.longValue();
    }

    private double real(JsonParser p, int i) throws IOException {
      JsonToken t = p.currentToken();
      if (t == JsonToken.VALUE_NUMBER_INT || t == JsonToken.VALUE_NUMBER_FLOAT) {
        return p.getDoubleValue();
      }
      if (t == JsonToken.VALUE_STRING) {
        switch (p.getText()) {
          case "NaN":
            return Double.NaN;
          case "Infinity":
            return Double.POSITIVE_INFINITY;
          case "-Infinity":
            return Double.NEGATIVE_INFINITY;
          default:
            break;
        }
      }
      throw wrongValue(p, i, "a number");
    }

    private String string(JsonParser p, int i) throws IOException {
      if (p.currentToken() != JsonToken.VALUE_STRING) {
        throw wrongValue(p, i, "a string");
      }
      return p.getText();
    }

    private OipError wrongValue(JsonParser p, int i, String expected) throws IOException {
      String got =
          p.currentToken() == JsonToken.START_OBJECT ? "an object" : "'" + p.getText() + "'";
      return OipError.invalid(
          where + ": data element " + i + " is " + got + ", but " + type + " takes " + expected);
    }

    private OipError outOfRange(String value, int i, long min, String max) {
      return OipError.invalid(
          where
              + ": data element "
              + i
              + " ("
              + value
              + ") is outside "
              + type
              + "'s range ["
              + min
              + ", "
              + max
              + "]");
    }
  }
}
