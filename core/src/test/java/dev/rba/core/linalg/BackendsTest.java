package dev.rba.core.linalg;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/** Backend selection: the fallback chain, explicit choices, the system property, and doctor's descriptions. */
class BackendsTest {

    @AfterEach
    void clearProperty() {
        System.clearProperty(Backends.PROPERTY);
    }

    static boolean cudaWorks() {
        try (CudaBackend ignored = new CudaBackend(false)) {
            return true;
        } catch (RuntimeException | LinkageError e) {
            return false;
        }
    }

    @Test
    void autoGivesAReasonForEveryCandidateAndNeverFallsBelowOpenBlasHere() {
        BackendSelection sel = Backends.open("auto");
        try (Backend b = sel.backend()) {
            assertEquals("auto", sel.requested());
            List<BackendSelection.Candidate> c = sel.candidates();
            assertEquals(CudaBackend.NAME, c.get(0).name());
            if (cudaWorks()) {
                assertEquals(CudaBackend.NAME, b.name());
                assertTrue(c.get(0).chosen());
            } else {
                // openblas is bundled with the build, so auto must stop there when no GPU answers
                assertFalse(c.get(0).chosen());
                assertFalse(c.get(0).reason().isBlank());
                assertEquals(OpenBlasBackend.NAME, b.name());
                assertEquals(2, c.size());
                assertTrue(c.get(1).chosen());
            }
            assertTrue(sel.summary().startsWith("backend " + b.name()), sel.summary());
        }
    }

    @Test
    void explicitChoiceAndSystemPropertyAreHonouredInThatOrder() {
        System.setProperty(Backends.PROPERTY, "java");
        try (Backend b = Backends.open().backend()) {
            assertEquals(JavaBackend.NAME, b.name());
        }
        try (Backend b = Backends.open("OpenBLAS").backend()) {
            assertEquals(OpenBlasBackend.NAME, b.name());
        }
    }

    @Test
    void unknownNamesAreRejectedWithTheChoices() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Backends.open("mkl"));
        assertTrue(e.getMessage().contains("auto, cuda, openblas, java"), e.getMessage());
        System.setProperty(Backends.PROPERTY, "tpu");
        e = assertThrows(IllegalArgumentException.class, Backends::open);
        assertTrue(e.getMessage().contains("system property rba.backend"), e.getMessage());
    }

    @Test
    void explicitCudaWithoutGpuThrowsWithTheLoadersMessage() {
        if (cudaWorks()) {
            System.out.println("a GPU answers here: the no-GPU error path is not exercised");
            return;
        }
        BackendUnavailableException e = assertThrows(BackendUnavailableException.class, () -> Backends.open("cuda"));
        assertEquals("cuda", e.backend());
        assertTrue(e.getMessage().startsWith("backend 'cuda' cannot be used: "), e.getMessage());
        assertNotNull(e.getCause());
        assertTrue(e.getMessage().contains(Backends.oneLine(e.getCause())), e.getMessage());
    }

    @Test
    void describeAllListsEveryBackend() {
        List<BackendInfo> infos = Backends.describeAll();
        assertEquals(List.of("cuda", "openblas", "java"), infos.stream().map(BackendInfo::name).toList());
        BackendInfo blas = infos.get(1);
        assertTrue(blas.available(), blas.detail());
        assertTrue(blas.detail().contains("libopenblas"), blas.detail());
        assertTrue(infos.get(2).available());
        BackendInfo cuda = infos.get(0);
        if (cuda.available()) {
            assertNotNull(cuda.gpuName());
            assertTrue(cuda.gpuMemoryBytes() > 0);
        } else {
            assertFalse(cuda.detail().isBlank());
        }
    }
}
