package io.jpmem.enhancer;

import io.jpmem.enhancer.LayoutAnalysis.Slot;
import io.jpmem.heap.FieldKind;
import io.jpmem.objects.spi.EnhancerAbi;
import java.lang.classfile.CodeBuilder;
import java.lang.classfile.CodeElement;
import java.lang.classfile.CodeTransform;
import java.lang.classfile.Opcode;
import java.lang.classfile.instruction.FieldInstruction;
import java.util.Optional;

/**
 * The enhancer's field-access job, a {@link CodeTransform} applied to every method of every class it
 * processes: a {@code getfield} or {@code putfield} of a persistent field (any class's, found by the
 * {@link LayoutAnalysis}) becomes a call to the runtime's barriers, {@code io.jpmem.objects.spi.Barriers},
 * with the field's offset as a constant: a load from the block, or a barriered store. Everything else
 * passes through.
 */
final class FieldAccessRewrite implements CodeTransform {

    private final LayoutAnalysis analysis;

    FieldAccessRewrite(LayoutAnalysis analysis) {
        this.analysis = analysis;
    }

    @Override
    public void accept(CodeBuilder builder, CodeElement element) {
        if (element instanceof FieldInstruction fi && (fi.opcode() == Opcode.GETFIELD || fi.opcode() == Opcode.PUTFIELD)) {
            Optional<Slot> slot = analysis.slotOf(fi);
            if (slot.isPresent()) {
                emit(builder, fi.opcode() == Opcode.GETFIELD, slot.get());
                return;
            }
        }
        builder.with(element);
    }

    /**
     * Emits the barrier call that replaces a {@code getfield} ({@code load}) or {@code putfield} of
     * {@code slot}: the object (and, for a store, the value) are on the stack.
     */
    static void emit(CodeBuilder b, boolean load, Slot slot) {
        b.loadConstant(slot.offset());
        switch (slot.holding()) {
            case STRING -> {
                if (load) {
                    AbiCalls.invoke(b, EnhancerAbi.GET_STRING);
                } else {
                    b.loadConstant(slot.name());
                    AbiCalls.invoke(b, EnhancerAbi.PUT_STRING);
                }
            }
            case ANY -> {
                if (load) {
                    AbiCalls.invoke(b, EnhancerAbi.GET_ANY);
                    b.checkcast(slot.type());
                } else {
                    b.loadConstant(slot.name());
                    AbiCalls.invoke(b, EnhancerAbi.PUT_ANY);
                }
            }
            case BOXED -> {
                if (load) {
                    b.loadConstant(slot.type());
                    AbiCalls.invoke(b, EnhancerAbi.GET_BOXED);
                    b.checkcast(slot.type());
                } else {
                    b.loadConstant(slot.name());
                    AbiCalls.invoke(b, EnhancerAbi.PUT_BOXED);
                }
            }
            case OBJECT -> {
                if (slot.kind() != FieldKind.REF) {
                    AbiCalls.invoke(b, load ? EnhancerAbi.load(slot.kind()) : EnhancerAbi.store(slot.kind()));
                } else if (load) {
                    b.loadConstant(slot.type());
                    AbiCalls.invoke(b, EnhancerAbi.GET_REF);
                    b.checkcast(slot.type());
                } else {
                    b.loadConstant(slot.name());
                    AbiCalls.invoke(b, EnhancerAbi.PUT_REF);
                }
            }
        }
    }
}
