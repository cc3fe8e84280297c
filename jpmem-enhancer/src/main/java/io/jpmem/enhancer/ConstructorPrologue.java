package io.jpmem.enhancer;

import java.lang.classfile.CodeElement;
import java.lang.classfile.Label;
import java.lang.classfile.Opcode;
import java.lang.classfile.TypeKind;
import java.lang.classfile.instruction.ArrayLoadInstruction;
import java.lang.classfile.instruction.ArrayStoreInstruction;
import java.lang.classfile.instruction.BranchInstruction;
import java.lang.classfile.instruction.ConstantInstruction;
import java.lang.classfile.instruction.ConvertInstruction;
import java.lang.classfile.instruction.ExceptionCatch;
import java.lang.classfile.instruction.FieldInstruction;
import java.lang.classfile.instruction.IncrementInstruction;
import java.lang.classfile.instruction.InvokeDynamicInstruction;
import java.lang.classfile.instruction.InvokeInstruction;
import java.lang.classfile.instruction.LabelTarget;
import java.lang.classfile.instruction.LoadInstruction;
import java.lang.classfile.instruction.LookupSwitchInstruction;
import java.lang.classfile.instruction.MonitorInstruction;
import java.lang.classfile.instruction.NewMultiArrayInstruction;
import java.lang.classfile.instruction.NewObjectInstruction;
import java.lang.classfile.instruction.NewPrimitiveArrayInstruction;
import java.lang.classfile.instruction.NewReferenceArrayInstruction;
import java.lang.classfile.instruction.NopInstruction;
import java.lang.classfile.instruction.OperatorInstruction;
import java.lang.classfile.instruction.ReturnInstruction;
import java.lang.classfile.instruction.StackInstruction;
import java.lang.classfile.instruction.StoreInstruction;
import java.lang.classfile.instruction.TableSwitchInstruction;
import java.lang.classfile.instruction.ThrowInstruction;
import java.lang.classfile.instruction.TypeCheckInstruction;
import java.lang.classfile.instruction.DiscontinuedInstruction;
import java.lang.classfile.Instruction;
import java.lang.classfile.PseudoInstruction;
import java.lang.constant.ClassDesc;
import java.lang.constant.MethodTypeDesc;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The prologue of a constructor: the code before its {@code super(...)} or {@code this(...)} call,
 * where {@code this} is still uninitialized. Finds the {@code putfield}s into the object under
 * construction there (an inner class's outer reference, JDK 25's flexible constructor bodies), so
 * that the enhancer can keep them in Java fields until the persistent block exists.
 *
 * <p>Which object a {@code putfield} writes is a static fact (the verifier's type of the receiver),
 * so it is found by simulating the operand stack in slots, each slot marked "is {@code this}",
 * following branches forward the way javac emits them. Code it cannot follow is reported as such
 * rather than guessed.
 */
final class ConstructorPrologue {

    /** The result: the stores into {@code this} before the constructor call, by index among the code's elements. */
    record Analysis(Set<Integer> storesToThis, boolean complete) {}

    private ConstructorPrologue() {}

    /**
     * Analyses {@code code}, the elements of a constructor of {@code self} in order.
     *
     * @return the prologue's stores into {@code this}; {@code complete} is false if the analysis met
     *     code it cannot follow before finding the constructor call
     */
    static Analysis analyse(List<CodeElement> code, ClassDesc self) {
        Set<Integer> stores = new java.util.TreeSet<>();
        Map<Label, List<Boolean>> stackAt = new HashMap<>();
        for (CodeElement element : code) {
            if (element instanceof ExceptionCatch handler) {
                stackAt.putIfAbsent(handler.handler(), List.of(false));
            }
        }
        List<Boolean> stack = new ArrayList<>(); // one entry per slot: true where the slot holds `this`
        boolean reachable = true;
        for (int index = 0; index < code.size(); index++) {
            CodeElement element = code.get(index);
            if (element instanceof LabelTarget target) {
                List<Boolean> recorded = stackAt.get(target.label());
                if (!reachable) {
                    if (recorded == null) {
                        return new Analysis(stores, false);
                    }
                    stack = new ArrayList<>(recorded);
                    reachable = true;
                }
                continue;
            }
            if (element instanceof PseudoInstruction || !reachable) {
                continue;
            }
            Instruction instruction = (Instruction) element;
            switch (instruction) {
                case InvokeInstruction call when call.opcode() == Opcode.INVOKESPECIAL && call.name().equalsString("<init>") -> {
                    int argumentSlots = slots(call.typeSymbol());
                    boolean onThis = stack.get(stack.size() - argumentSlots - 1);
                    if (onThis) {
                        return new Analysis(stores, true); // super(...) or this(...): the prologue ends
                    }
                    pop(stack, argumentSlots + 1);
                }
                case FieldInstruction field when field.opcode() == Opcode.PUTFIELD -> {
                    int valueSlots = TypeKind.from(field.typeSymbol()).slotSize();
                    if (stack.get(stack.size() - valueSlots - 1) && field.owner().asSymbol().equals(self)) {
                        stores.add(index);
                    }
                    pop(stack, valueSlots + 1);
                }
                default -> {
                    if (!simulate(instruction, stack, stackAt)) {
                        return new Analysis(stores, false);
                    }
                    reachable = !(instruction instanceof ReturnInstruction || instruction instanceof ThrowInstruction
                            || instruction instanceof TableSwitchInstruction || instruction instanceof LookupSwitchInstruction
                            || (instruction instanceof BranchInstruction b && isGoto(b.opcode())));
                }
            }
        }
        return new Analysis(stores, false);
    }

    /** Applies one instruction's effect on the stack; false if it cannot be followed. */
    private static boolean simulate(Instruction instruction, List<Boolean> stack, Map<Label, List<Boolean>> stackAt) {
        switch (instruction) {
            case LoadInstruction load -> push(stack, load.typeKind().slotSize(), load.typeKind() == TypeKind.REFERENCE && load.slot() == 0);
            case StoreInstruction store -> pop(stack, store.typeKind().slotSize());
            case IncrementInstruction ignored -> { }
            case NopInstruction ignored -> { }
            case ConstantInstruction constant -> push(stack, constant.typeKind().slotSize(), false);
            case ConvertInstruction convert -> {
                pop(stack, convert.fromType().slotSize());
                push(stack, convert.toType().slotSize(), false);
            }
            case OperatorInstruction operator -> {
                int size = operator.typeKind().slotSize();
                switch (operator.opcode()) {
                    case INEG, LNEG, FNEG, DNEG -> { }
                    case ARRAYLENGTH -> {
                        pop(stack, 1);
                        push(stack, 1, false);
                    }
                    case ISHL, ISHR, IUSHR, LSHL, LSHR, LUSHR -> pop(stack, 1);
                    case LCMP, DCMPL, DCMPG -> {
                        pop(stack, 4);
                        push(stack, 1, false);
                    }
                    case FCMPL, FCMPG -> {
                        pop(stack, 2);
                        push(stack, 1, false);
                    }
                    default -> {
                        pop(stack, 2 * size);
                        push(stack, size, false);
                    }
                }
            }
            case FieldInstruction field -> {
                int size = TypeKind.from(field.typeSymbol()).slotSize();
                switch (field.opcode()) {
                    case GETFIELD -> {
                        pop(stack, 1);
                        push(stack, size, false);
                    }
                    case GETSTATIC -> push(stack, size, false);
                    default -> pop(stack, size); // PUTSTATIC
                }
            }
            case InvokeInstruction call -> {
                pop(stack, slots(call.typeSymbol()) + (call.opcode() == Opcode.INVOKESTATIC ? 0 : 1));
                push(stack, TypeKind.from(call.typeSymbol().returnType()).slotSize(), false);
            }
            case InvokeDynamicInstruction indy -> {
                pop(stack, slots(indy.typeSymbol()));
                push(stack, TypeKind.from(indy.typeSymbol().returnType()).slotSize(), false);
            }
            case NewObjectInstruction ignored -> push(stack, 1, false);
            case NewPrimitiveArrayInstruction ignored -> {
                pop(stack, 1);
                push(stack, 1, false);
            }
            case NewReferenceArrayInstruction ignored -> {
                pop(stack, 1);
                push(stack, 1, false);
            }
            case NewMultiArrayInstruction multi -> {
                pop(stack, multi.dimensions());
                push(stack, 1, false);
            }
            case ArrayLoadInstruction load -> {
                pop(stack, 2);
                push(stack, load.typeKind().slotSize(), false);
            }
            case ArrayStoreInstruction store -> pop(stack, 2 + store.typeKind().slotSize());
            case TypeCheckInstruction check -> {
                if (check.opcode() == Opcode.INSTANCEOF) {
                    pop(stack, 1);
                    push(stack, 1, false);
                } // CHECKCAST keeps the slot
            }
            case MonitorInstruction ignored -> pop(stack, 1);
            case StackInstruction op -> stackOperation(op.opcode(), stack);
            case BranchInstruction branch -> {
                Opcode opcode = branch.opcode();
                if (opcode == Opcode.IF_ICMPEQ || opcode == Opcode.IF_ICMPNE || opcode == Opcode.IF_ICMPLT
                        || opcode == Opcode.IF_ICMPGE || opcode == Opcode.IF_ICMPGT || opcode == Opcode.IF_ICMPLE
                        || opcode == Opcode.IF_ACMPEQ || opcode == Opcode.IF_ACMPNE) {
                    pop(stack, 2);
                } else if (!isGoto(opcode)) {
                    pop(stack, 1);
                }
                stackAt.putIfAbsent(branch.target(), List.copyOf(stack));
            }
            case TableSwitchInstruction table -> {
                pop(stack, 1);
                stackAt.putIfAbsent(table.defaultTarget(), List.copyOf(stack));
                table.cases().forEach(c -> stackAt.putIfAbsent(c.target(), List.copyOf(stack)));
            }
            case LookupSwitchInstruction lookup -> {
                pop(stack, 1);
                stackAt.putIfAbsent(lookup.defaultTarget(), List.copyOf(stack));
                lookup.cases().forEach(c -> stackAt.putIfAbsent(c.target(), List.copyOf(stack)));
            }
            case ReturnInstruction ret -> pop(stack, ret.typeKind().slotSize());
            case ThrowInstruction ignored -> pop(stack, 1);
            case DiscontinuedInstruction ignored -> {
                return false; // jsr/ret: not in modern class files
            }
            default -> {
                return false;
            }
        }
        return true;
    }

    /** The JVM's stack operations, on slots. */
    private static void stackOperation(Opcode opcode, List<Boolean> stack) {
        int top = stack.size();
        switch (opcode) {
            case POP -> pop(stack, 1);
            case POP2 -> pop(stack, 2);
            case DUP -> stack.add(stack.get(top - 1));
            case DUP_X1 -> stack.add(top - 2, stack.get(top - 1));
            case DUP_X2 -> stack.add(top - 3, stack.get(top - 1));
            case DUP2 -> {
                stack.add(stack.get(top - 2));
                stack.add(stack.get(top - 1));
            }
            case DUP2_X1 -> {
                stack.add(top - 3, stack.get(top - 1));
                stack.add(top - 3, stack.get(top - 1)); // the first insertion moved v2 to top - 1
            }
            case DUP2_X2 -> {
                stack.add(top - 4, stack.get(top - 1));
                stack.add(top - 4, stack.get(top - 1)); // likewise
            }
            case SWAP -> Collections.swap(stack, top - 1, top - 2);
            default -> throw new IllegalArgumentException(opcode.toString());
        }
    }

    private static boolean isGoto(Opcode opcode) {
        return opcode == Opcode.GOTO || opcode == Opcode.GOTO_W;
    }

    private static int slots(MethodTypeDesc type) {
        int slots = 0;
        for (ClassDesc parameter : type.parameterList()) {
            slots += TypeKind.from(parameter).slotSize();
        }
        return slots;
    }

    private static void push(List<Boolean> stack, int slots, boolean isThis) {
        for (int i = 0; i < slots; i++) {
            stack.add(isThis);
        }
    }

    private static void pop(List<Boolean> stack, int slots) {
        for (int i = 0; i < slots; i++) {
            stack.removeLast();
        }
    }
}
