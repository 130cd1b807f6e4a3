package dev.rba.onnx.io;

import dev.rba.onnx.proto.OnnxProto.TensorProto;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** TensorDataType takes its codes from TensorProto.DataType by name: both must list the same types. */
class TensorDataTypeTest {
    @Test
    void everyProtoDataTypeHasItsConstantAndCode() {
        for (TensorProto.DataType p : TensorProto.DataType.values()) {
            TensorDataType t = TensorDataType.fromCodeOrNull(p.getNumber());
            assertEquals(p.name(), t.name());
            assertEquals(p.getNumber(), t.code());
        }
        assertEquals(TensorProto.DataType.values().length, TensorDataType.values().length);
        assertEquals(1, TensorDataType.FLOAT.code());
        assertEquals(16, TensorDataType.BFLOAT16.code());
    }

    @Test
    void unknownCodesAreNull() {
        assertNull(TensorDataType.fromCodeOrNull(-1));
        assertNull(TensorDataType.fromCodeOrNull(TensorDataType.values().length));
    }
}
