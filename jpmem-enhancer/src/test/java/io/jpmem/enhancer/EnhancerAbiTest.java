package io.jpmem.enhancer;

import static org.junit.jupiter.api.Assertions.*;

import io.jpmem.heap.FieldKind;
import io.jpmem.heap.TypeLayout;
import io.jpmem.objects.PersistentIntArray;
import io.jpmem.objects.spi.EnhancerAbi;
import java.lang.constant.ClassDesc;
import java.lang.constant.MethodTypeDesc;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import org.junit.jupiter.api.Test;

/**
 * Every name the enhancer and the runtime agree on (EnhancerAbi) resolves against the runtime's
 * classes, so renaming a barrier or changing a descriptor fails here, not in a user's program.
 */
class EnhancerAbiTest {

    private static Class<?> classOf(ClassDesc desc) throws ClassNotFoundException {
        String d = desc.descriptorString();
        return Class.forName(d.substring(1, d.length() - 1).replace('/', '.'), false, EnhancerAbiTest.class.getClassLoader());
    }

    private static MethodType typeOf(MethodTypeDesc desc) {
        return MethodType.fromMethodDescriptorString(desc.descriptorString(), EnhancerAbiTest.class.getClassLoader());
    }

    @Test
    void everyRuntimeMemberResolves() throws Exception {
        assertFalse(EnhancerAbi.members().isEmpty());
        for (EnhancerAbi.Member member : EnhancerAbi.members()) {
            Class<?> owner = classOf(member.owner());
            MethodType type = typeOf(member.type());
            java.lang.reflect.Method method = owner.getMethod(member.name(), type.parameterArray());
            assertEquals(type.returnType(), method.getReturnType(), member.toString());
            assertTrue(Modifier.isPublic(method.getModifiers()) && Modifier.isPublic(owner.getModifiers()), member.toString());
            switch (member.invoke()) {
                case STATIC -> assertTrue(Modifier.isStatic(method.getModifiers()), member.toString());
                case INTERFACE -> assertTrue(owner.isInterface() && !Modifier.isStatic(method.getModifiers()), member.toString());
            }
        }
    }

    @Test
    void everyClassConstantNamesAPublicClass() throws Exception {
        int checked = 0;
        for (Field field : EnhancerAbi.class.getFields()) {
            if (Modifier.isStatic(field.getModifiers()) && field.getType() == ClassDesc.class) {
                Class<?> named = classOf((ClassDesc) field.get(null));
                assertTrue(Modifier.isPublic(named.getModifiers()), field.getName());
                checked++;
            }
        }
        assertTrue(checked >= 9, "class constants checked: " + checked);
    }

    @Test
    void primitiveBarriersExistForEveryKindAndReferencesHaveTheirOwn() throws Exception {
        for (FieldKind kind : FieldKind.values()) {
            if (kind == FieldKind.REF) {
                assertThrows(IllegalArgumentException.class, () -> EnhancerAbi.load(kind));
                continue;
            }
            assertTrue(EnhancerAbi.members().contains(EnhancerAbi.load(kind)), kind.name());
            assertTrue(EnhancerAbi.members().contains(EnhancerAbi.store(kind)), kind.name());
        }
        for (FieldKind kind : FieldKind.values()) {
            assertSame(kind, FieldKind.class.getField(kind.name()).get(null), "the enhancer reads kinds by name");
        }
    }

    @Test
    void generatedMembersMatchWhatTheRuntimeLooksUp() throws Throwable {
        EnhancingClassLoader loader = new EnhancingClassLoader("io.jpmem.enhancer.sample.");
        MethodType wrapping = typeOf(EnhancerAbi.WRAPPING_CONSTRUCTOR);
        MethodType layoutType = typeOf(EnhancerAbi.LAYOUT_METHOD_TYPE);
        for (String name : new String[] {"io.jpmem.enhancer.sample.Node", "io.jpmem.enhancer.sample.Dog",
                "io.jpmem.enhancer.sample.Point"}) {
            Class<?> enhanced = loader.loadClass(name);
            assertNotNull(MethodHandles.publicLookup().findConstructor(enhanced, wrapping), name);
            TypeLayout layout = (TypeLayout) MethodHandles.publicLookup()
                    .findStatic(enhanced, EnhancerAbi.LAYOUT_METHOD, layoutType).invoke();
            assertEquals(name, layout.className());
            assertEquals(TypeLayout.Shape.RECORD, layout.shape());
            for (EnhancerAbi.Member member : new EnhancerAbi.Member[] {EnhancerAbi.REF_METHOD, EnhancerAbi.SPACE_METHOD,
                    EnhancerAbi.BIND_METHOD}) {
                assertNotNull(MethodHandles.publicLookup().findVirtual(enhanced, member.name(), typeOf(member.type())), name);
            }
        }
        assertNotNull(MethodHandles.publicLookup().findConstructor(PersistentIntArray.class, wrapping),
                "hand-written persistent classes have the same wrapping constructor");
    }

    @Test
    void theEnhancedLayoutListsTheFieldsLargestFirst() throws Throwable {
        Class<?> node = new EnhancingClassLoader("io.jpmem.enhancer.sample.").loadClass("io.jpmem.enhancer.sample.Node");
        TypeLayout layout = (TypeLayout) MethodHandles.publicLookup()
                .findStatic(node, EnhancerAbi.LAYOUT_METHOD, typeOf(EnhancerAbi.LAYOUT_METHOD_TYPE)).invoke();
        int previous = Integer.MAX_VALUE;
        int end = 0;
        for (var field : layout.fields()) {
            assertTrue(field.kind().byteSize() <= previous, field.toString());
            assertEquals(0, field.offset() % field.kind().byteSize(), "naturally aligned: " + field);
            previous = field.kind().byteSize();
            end = Math.max(end, field.offset() + field.kind().byteSize());
        }
        assertEquals((end + 7) & -8, layout.instanceByteSize());
        assertEquals(11, layout.fields().size(), "Node's persistent fields (not the transient or static ones)");
    }
}
