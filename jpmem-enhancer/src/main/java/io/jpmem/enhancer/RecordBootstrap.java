package io.jpmem.enhancer;

import static java.lang.classfile.ClassFile.ACC_PUBLIC;
import static java.lang.classfile.ClassFile.ACC_STATIC;
import static java.lang.classfile.ClassFile.ACC_SYNTHETIC;

import io.jpmem.enhancer.LayoutAnalysis.Layout;
import io.jpmem.enhancer.LayoutAnalysis.Slot;
import java.lang.classfile.ClassTransform;
import java.lang.classfile.CodeBuilder;
import java.lang.classfile.CodeElement;
import java.lang.classfile.CodeTransform;
import java.lang.classfile.TypeKind;
import java.lang.classfile.instruction.InvokeDynamicInstruction;
import java.lang.constant.ClassDesc;
import java.lang.constant.ConstantDesc;
import java.lang.constant.DirectMethodHandleDesc;
import java.lang.constant.DynamicCallSiteDesc;
import java.lang.constant.MethodHandleDesc;
import java.lang.constant.MethodTypeDesc;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The enhancer's record job. A record's {@code equals}, {@code hashCode} and {@code toString} are an
 * {@code invokedynamic} of {@code java.lang.runtime.ObjectMethods} whose bootstrap arguments are
 * getters of the record's fields — which the enhancer deletes. This {@link CodeTransform} hands the
 * bootstrap static accessors instead, and {@link #accessors} adds them to a persistent record: one
 * {@code $jpmem$get$<name>(Record)} per component, reading the block.
 */
final class RecordBootstrap implements CodeTransform {

    static final ClassDesc RECORD = ClassDesc.of("java.lang.Record");
    static final ClassDesc OBJECT_METHODS = ClassDesc.of("java.lang.runtime.ObjectMethods");
    static final String ACCESSOR_PREFIX = "$jpmem$get$";

    private final LayoutAnalysis analysis;

    RecordBootstrap(LayoutAnalysis analysis) {
        this.analysis = analysis;
    }

    @Override
    public void accept(CodeBuilder builder, CodeElement element) {
        if (element instanceof InvokeDynamicInstruction indy && indy.bootstrapMethod().owner().equals(OBJECT_METHODS)) {
            List<ConstantDesc> args = new ArrayList<>();
            boolean changed = false;
            for (ConstantDesc arg : indy.bootstrapArgs()) {
                if (arg instanceof DirectMethodHandleDesc getter && getter.kind() == DirectMethodHandleDesc.Kind.GETTER) {
                    Optional<Slot> slot = analysis.layoutOf(getter.owner().descriptorString()
                            .substring(1, getter.owner().descriptorString().length() - 1))
                            .map(l -> l.slots().get(getter.methodName()));
                    if (slot.isPresent()) {
                        args.add(MethodHandleDesc.ofMethod(DirectMethodHandleDesc.Kind.STATIC, getter.owner(),
                                ACCESSOR_PREFIX + getter.methodName(), MethodTypeDesc.of(slot.get().type(), getter.owner())));
                        changed = true;
                        continue;
                    }
                }
                args.add(arg);
            }
            if (changed) {
                builder.invokedynamic(DynamicCallSiteDesc.of(indy.bootstrapMethod(), indy.name().stringValue(),
                        indy.typeSymbol(), args.toArray(ConstantDesc[]::new)));
                return;
            }
        }
        builder.with(element);
    }

    /** {@return the transform that adds the static accessors of a persistent record's components} */
    static ClassTransform accessors(ClassDesc self, Layout layout) {
        return ClassTransform.endHandler(builder -> {
            for (Slot slot : layout.slots().values()) {
                builder.withMethodBody(ACCESSOR_PREFIX + slot.name(), MethodTypeDesc.of(slot.type(), self),
                        ACC_PUBLIC | ACC_STATIC | ACC_SYNTHETIC, b -> {
                            b.aload(0);
                            FieldAccessRewrite.emit(b, true, slot);
                            b.return_(TypeKind.from(slot.type()));
                        });
            }
        });
    }
}
