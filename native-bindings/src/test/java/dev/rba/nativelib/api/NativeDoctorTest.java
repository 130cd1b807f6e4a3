package dev.rba.nativelib.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class NativeDoctorTest {
    @Test
    void reportsEveryLibraryWithoutThrowing() {
        List<NativeLibraryStatus> statuses = NativeDoctor.probe();
        assertEquals(List.of("cudart", "cublas", "cusolver", "openblas", "lapacke"), statuses.stream().map(NativeLibraryStatus::name).toList());
        for (NativeLibraryStatus s : statuses) {
            System.out.println("doctor: " + s);
            assertTrue(s.available() ? s.path() != null && s.problem() == null : s.problem() != null, s.toString());
        }
        NativeLibraryStatus openblas = statuses.get(3);
        assertTrue(openblas.available(), openblas.toString());
        assertNotNull(openblas.version());
        assertTrue(openblas.version().contains("OpenBLAS"), openblas.version());
    }

    @Test
    void cudaVersionTextDecodesMajorMinor() {
        assertEquals("12.4", NativeDoctor.cudaVersionText(12040));
        assertEquals("13.0", NativeDoctor.cudaVersionText(13000));
        assertEquals("11.8", NativeDoctor.cudaVersionText(11080));
    }
}
