package dev.rba.nativelib;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * bindings.txt and the generated binding classes must agree both ways: every listed C function has a static method of
 * that name whose Java parameter and return types follow the C types, and whose cached FunctionDescriptor has the
 * matching layouts; every listed constant is a public static final field; and every binding method is listed. Parsing
 * the C types here, independently of jextract, is what lets this test catch a header that changed under the list (an
 * int where size_t belongs, a dropped parameter) or a stale regeneration.
 */
class BindingsListTest {
    static final Map<String, String> HEADER_CLASSES = Map.of(
            "cuda_runtime_api.h", "dev.rba.nativelib.cuda.cuda_runtime_api_h",
            "cublas_api.h", "dev.rba.nativelib.cublas.cublas_api_h",
            "cusolverDn.h", "dev.rba.nativelib.cusolver.cusolverDn_h",
            "cblas.h", "dev.rba.nativelib.cblas.cblas_h",
            "lapacke.h", "dev.rba.nativelib.lapacke.lapacke_h");
    /** jextract's accessors beside each function's method: name$descriptor(), name$handle(), name$address(). */
    static final Pattern ACCESSOR = Pattern.compile("(\\w+)\\$(descriptor|handle|address)");
    static final Set<String> INT_TYPES = Set.of("int", "unsigned int", "blasint", "lapack_int", "cudaError_t", "cublasStatus_t",
            "cusolverStatus_t", "libraryPropertyType", "cublasMath_t", "cublasPointerMode_t", "cublasOperation_t", "cublasFillMode_t",
            "cublasSideMode_t", "cudaDataType", "cublasComputeType_t", "cublasGemmAlgo_t", "cusolverEigMode_t");
    static final Set<String> HANDLE_TYPES = Set.of("cudaStream_t", "cudaEvent_t", "cublasHandle_t", "cusolverDnHandle_t", "gesvdjInfo_t");
    static final Pattern PROTOTYPE = Pattern.compile("(.+?)\\s*\\b(\\w+)\\((.*)\\)");

    record Binding(String library, String header, String returnType, String name, List<String> parameterTypes) {
    }

    static List<Binding> readBindings() throws IOException {
        List<Binding> bindings = new ArrayList<>();
        readList(bindings, new ArrayList<>());
        return bindings;
    }

    /** header:name of every listed constant. */
    static List<String> readConstants() throws IOException {
        List<String> constants = new ArrayList<>();
        readList(new ArrayList<>(), constants);
        return constants;
    }

    private static void readList(List<Binding> bindings, List<String> constants) throws IOException {
        try (InputStream in = BindingsListTest.class.getResourceAsStream("/dev/rba/nativelib/bindings.txt")) {
            assertNotNull(in, "bindings.txt is missing from the class path");
            BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            for (String line; (line = reader.readLine()) != null; ) {
                line = line.strip();
                if (line.isEmpty() || line.startsWith("#")) {
                    continue;
                }
                String[] parts = line.split("\\|");
                if (parts[2].strip().startsWith("constants ")) {
                    for (String name : parts[2].strip().substring("constants ".length()).strip().split("\\s+")) {
                        constants.add(parts[1].strip() + ":" + name);
                    }
                    continue;
                }
                Matcher m = PROTOTYPE.matcher(parts[2].strip());
                assertTrue(m.matches(), "not a prototype: " + line);
                List<String> params = new ArrayList<>();
                String list = m.group(3).strip();
                if (!list.isEmpty() && !list.equals("void")) {
                    for (String p : list.split(",")) {
                        // drop the parameter name: the last identifier
                        params.add(p.strip().replaceFirst("\\w+$", "").strip());
                    }
                }
                bindings.add(new Binding(parts[0].strip(), parts[1].strip(), m.group(1).strip(), m.group(2), params));
            }
        }
    }

    static Class<?> javaType(String cType) {
        String t = cType.replace("const ", "").strip();
        if (t.contains("*") || HANDLE_TYPES.contains(t)) {
            return MemorySegment.class;
        }
        if (t.startsWith("enum ") || INT_TYPES.contains(t)) {
            return int.class;
        }
        return switch (t) {
            case "size_t" -> long.class;
            case "float" -> float.class;
            case "double" -> double.class;
            case "char", "signed char" -> byte.class;
            case "void" -> void.class;
            default -> throw new AssertionError("bindings.txt uses a C type this test does not know: " + cType);
        };
    }

    @Test
    void everyListedFunctionHasAMatchingBindingMethod() throws Exception {
        List<Binding> bindings = readBindings();
        assertTrue(bindings.size() > 80, "bindings.txt looks truncated: " + bindings.size());
        for (Binding b : bindings) {
            Class<?> headerClass = Class.forName(HEADER_CLASSES.get(b.header()));
            Class<?>[] expected = b.parameterTypes().stream().map(BindingsListTest::javaType).toArray(Class<?>[]::new);
            Method method = headerClass.getMethod(b.name(), expected);
            assertTrue(Modifier.isStatic(method.getModifiers()), b.name() + " must be static");
            assertEquals(javaType(b.returnType()), method.getReturnType(), b.name() + " return type");

            // the cached descriptor in the holder class of the same name
            Class<?> holder = Arrays.stream(headerClass.getDeclaredClasses()).filter(c -> c.getSimpleName().equals(b.name())).findFirst()
                    .orElseThrow(() -> new AssertionError("no holder class " + b.name() + " in " + headerClass.getName()));
            Field descField = holder.getDeclaredField("DESC");
            descField.setAccessible(true);
            FunctionDescriptor descriptor = (FunctionDescriptor) descField.get(null);
            assertEquals(expected.length, descriptor.argumentLayouts().size(), b.name() + " descriptor arity");
            for (int i = 0; i < expected.length; i++) {
                assertEquals(expected[i], carrier(descriptor.argumentLayouts().get(i)), b.name() + " descriptor argument " + i);
            }
            assertEquals(javaType(b.returnType()), descriptor.returnLayout().map(BindingsListTest::carrier).orElse(void.class), b.name() + " descriptor return");

            // the library named in the list is the one the class loads from
            String expectedLibrary = switch (b.header()) {
                case "cuda_runtime_api.h" -> "cudart";
                case "cublas_api.h" -> "cublas";
                case "cusolverDn.h" -> "cusolver";
                case "cblas.h" -> "openblas";
                default -> "lapacke";
            };
            assertEquals(expectedLibrary, b.library(), b.name() + " library column");
        }
    }

    private static Class<?> carrier(MemoryLayout layout) {
        return ((java.lang.foreign.ValueLayout) layout).carrier();
    }

    @Test
    void everyListedConstantIsAPublicField() throws Exception {
        List<String> constants = readConstants();
        assertTrue(constants.size() > 80, "bindings.txt's constants look truncated: " + constants.size());
        for (String c : constants) {
            String[] hn = c.split(":");
            Field field = Class.forName(HEADER_CLASSES.get(hn[0])).getDeclaredField(hn[1]);
            int mod = field.getModifiers();
            assertTrue(Modifier.isPublic(mod) && Modifier.isStatic(mod) && Modifier.isFinal(mod), c + " must be public static final");
        }
    }

    @Test
    void everyBindingMethodIsListed() throws Exception {
        Set<String> listed = new TreeSet<>(readConstants());
        for (Binding b : readBindings()) {
            listed.add(b.header() + ":" + b.name());
        }
        Set<String> unlisted = new TreeSet<>();
        for (Map.Entry<String, String> e : HEADER_CLASSES.entrySet()) {
            for (Method m : Class.forName(e.getValue()).getDeclaredMethods()) {
                if (Modifier.isPublic(m.getModifiers()) && Modifier.isStatic(m.getModifiers())) {
                    Matcher accessor = ACCESSOR.matcher(m.getName());
                    String function = accessor.matches() ? accessor.group(1) : m.getName();
                    if (!listed.contains(e.getKey() + ":" + function)) {
                        unlisted.add(e.getValue() + "." + m.getName());
                    }
                }
            }
        }
        assertEquals(Set.of(), unlisted, "binding methods missing from bindings.txt");
    }
}
