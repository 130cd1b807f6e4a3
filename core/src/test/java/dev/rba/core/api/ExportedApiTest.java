package dev.rba.core.api;

import dev.rba.core.Rba;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleFinder;
import java.lang.module.ModuleReference;
import java.lang.reflect.Executable;
import java.lang.reflect.Field;
import java.lang.reflect.GenericArrayType;
import java.lang.reflect.Member;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.lang.reflect.TypeVariable;
import java.lang.reflect.WildcardType;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * core's exported API names only types its users can reach: a public or protected signature in a package
 * {@code dev.rba.core} exports (superclass, interfaces, fields, constructors, methods, their generic arguments)
 * mentions no type from a package its module keeps to itself or to {@code dev.rba.core} (protobuf's
 * {@code ModelProto} through {@code dev.rba.onnx.proto}, onnx-io's block structure, the native bindings), nor from a
 * module a user of core does not read (one core requires without {@code transitive}). Tests run on the class path,
 * so the module descriptors are read from the folders and jars the classes come from.
 */
class ExportedApiTest {

    @Test
    void exportedSignaturesMentionOnlyExportedTypes() throws Exception {
        List<String> leaks = leaks(moduleOf(Rba.class));
        assertEquals(List.of(), leaks, "public signatures of core's exported packages that name a type its users"
                + " cannot use; make the member package-private, move it to a non-exported package or wrap the type");
    }

    /** The check itself fails on a leak: a public method returning onnx-io's internal ModelProto is found. */
    @Test
    void theCheckFindsALeak() throws Exception {
        Module core = moduleOf(Rba.class);
        List<String> found = new ArrayList<>();
        check(Leaky.class, core, found);
        assertFalse(found.isEmpty(), "a leak planted in a test class");
        assertTrue(found.getFirst().contains("dev.rba.onnx.proto.OnnxProto$ModelProto"), found.toString());
    }

    /** A stand-in for a core class whose public method leaks onnx-io's protobuf type. */
    public static final class Leaky {
        public dev.rba.onnx.proto.OnnxProto.ModelProto model() {
            return null;
        }
    }

    private record Module(ModuleDescriptor descriptor, Set<String> readable) {
    }

    private static final Map<Path, ModuleDescriptor> DESCRIPTORS = new HashMap<>();

    private static List<String> leaks(Module core) throws IOException, ClassNotFoundException {
        Path classes = location(Rba.class);
        List<String> found = new ArrayList<>();
        Set<String> exported = new HashSet<>();
        for (ModuleDescriptor.Exports e : core.descriptor().exports()) {
            if (!e.isQualified()) exported.add(e.source());
        }
        assertTrue(exported.contains("dev.rba.core"), "core's descriptor read from " + classes);
        List<Path> files;
        try (Stream<Path> s = Files.walk(classes)) {
            files = s.filter(p -> p.toString().endsWith(".class")).sorted().toList();
        }
        for (Path f : files) {
            String name = classes.relativize(f).toString().replace(f.getFileSystem().getSeparator(), ".");
            name = name.substring(0, name.length() - ".class".length());
            int dot = name.lastIndexOf('.');
            if (dot < 0 || !exported.contains(name.substring(0, dot))) continue;
            Class<?> c = Class.forName(name, false, ExportedApiTest.class.getClassLoader());
            if (visible(c)) check(c, core, found);
        }
        return found;
    }

    /** A class users see: public or protected, and so is every class around it. */
    private static boolean visible(Class<?> c) {
        for (Class<?> k = c; k != null; k = k.getDeclaringClass()) {
            if (k.isAnonymousClass() || k.isLocalClass() || k.isSynthetic()) return false;
            if (!Modifier.isPublic(k.getModifiers()) && !Modifier.isProtected(k.getModifiers())) return false;
        }
        return true;
    }

    private static boolean visible(Member m) {
        return !m.isSynthetic() && (Modifier.isPublic(m.getModifiers()) || Modifier.isProtected(m.getModifiers()));
    }

    private static void check(Class<?> c, Module core, List<String> found) {
        String where = c.getName();
        if (c.getGenericSuperclass() != null) mentions(c.getGenericSuperclass(), where + " extends", core, found);
        for (Type t : c.getGenericInterfaces()) mentions(t, where + " implements", core, found);
        for (Field f : c.getDeclaredFields()) {
            if (visible(f)) mentions(f.getGenericType(), where + "." + f.getName(), core, found);
        }
        List<Executable> members = new ArrayList<>(List.of(c.getDeclaredConstructors()));
        members.addAll(List.of(c.getDeclaredMethods()));
        for (Executable e : members) {
            if (!visible(e) || (e instanceof java.lang.reflect.Method m && m.isBridge())) continue;
            String at = where + "." + (e instanceof java.lang.reflect.Constructor<?> ? "<init>" : e.getName()) + "()";
            if (e instanceof java.lang.reflect.Method m) mentions(m.getGenericReturnType(), at, core, found);
            for (Type t : e.getGenericParameterTypes()) mentions(t, at, core, found);
            for (Type t : e.getGenericExceptionTypes()) mentions(t, at, core, found);
            for (TypeVariable<?> v : e.getTypeParameters()) {
                for (Type b : v.getBounds()) mentions(b, at, core, found);
            }
        }
    }

    private static void mentions(Type t, String at, Module core, List<String> found) {
        switch (t) {
            case Class<?> c when c.isArray() -> mentions(c.getComponentType(), at, core, found);
            case Class<?> c -> {
                if (!c.isPrimitive() && !usable(c, core)) found.add(at + " mentions " + c.getName());
            }
            case ParameterizedType p -> {
                mentions(p.getRawType(), at, core, found);
                for (Type a : p.getActualTypeArguments()) mentions(a, at, core, found);
            }
            case GenericArrayType g -> mentions(g.getGenericComponentType(), at, core, found);
            case WildcardType w -> {
                for (Type b : w.getUpperBounds()) mentions(b, at, core, found);
                for (Type b : w.getLowerBounds()) mentions(b, at, core, found);
            }
            default -> { } // type variables: their bounds are checked where they are declared
        }
    }

    /** Whether a user of core can name {@code c}: its module is core or one core's users read, and exports it. */
    private static boolean usable(Class<?> c, Module core) {
        if (c.getModule().isNamed()) { // the JDK's own modules
            return c.getModule().isExported(c.getPackageName()) && core.readable().contains(c.getModule().getName());
        }
        ModuleDescriptor d = descriptor(location(c));
        if (!d.name().equals(core.descriptor().name()) && !core.readable().contains(d.name())) return false;
        if (d.isAutomatic()) return true;
        return d.exports().stream().anyMatch(e -> !e.isQualified() && e.source().equals(c.getPackageName()));
    }

    /** core's descriptor and the modules its users read through it: java.base and requires transitive, closed. */
    private static Module moduleOf(Class<?> anchor) {
        ModuleDescriptor core = descriptor(location(anchor));
        Set<String> readable = new TreeSet<>(List.of("java.base"));
        addTransitive(core, readable);
        return new Module(core, readable);
    }

    private static void addTransitive(ModuleDescriptor d, Set<String> readable) {
        for (ModuleDescriptor.Requires r : d.requires()) {
            if (!r.modifiers().contains(ModuleDescriptor.Requires.Modifier.TRANSITIVE) || !readable.add(r.name())) {
                continue;
            }
            descriptorNamed(r.name()).ifPresent(next -> addTransitive(next, readable));
        }
    }

    private static java.util.Optional<ModuleDescriptor> descriptorNamed(String name) {
        java.util.Optional<java.lang.Module> jdk = ModuleLayer.boot().findModule(name);
        if (jdk.isPresent()) return java.util.Optional.of(jdk.get().getDescriptor());
        for (String entry : System.getProperty("java.class.path").split(java.io.File.pathSeparator)) {
            Path p = Path.of(entry);
            if (!Files.exists(p)) continue;
            try {
                ModuleDescriptor d = descriptor(p);
                if (d.name().equals(name)) return java.util.Optional.of(d);
            } catch (RuntimeException | AssertionError notAModule) {
                // a test-classes folder or a jar without a derivable module name: not the module sought
            }
        }
        return java.util.Optional.empty();
    }

    private static ModuleDescriptor descriptor(Path location) {
        return DESCRIPTORS.computeIfAbsent(location, p -> {
            Set<ModuleReference> refs = ModuleFinder.of(p).findAll();
            if (refs.size() != 1) throw new AssertionError("no single module at " + p);
            return refs.iterator().next().descriptor();
        });
    }

    private static Path location(Class<?> c) {
        try {
            return Path.of(c.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException e) {
            throw new AssertionError(e);
        }
    }
}
