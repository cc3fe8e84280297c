package io.jpmem.enhancer;

import io.jpmem.objects.spi.EnhancerAbi;
import java.lang.classfile.CodeBuilder;

/** Emits calls to the runtime members of the enhancer ABI ({@link EnhancerAbi}). */
final class AbiCalls {

    private AbiCalls() {}

    /** Calls {@code member}, its arguments on the stack. */
    static void invoke(CodeBuilder b, EnhancerAbi.Member member) {
        switch (member.invoke()) {
            case STATIC -> b.invokestatic(member.owner(), member.name(), member.type());
            case INTERFACE -> b.invokeinterface(member.owner(), member.name(), member.type());
        }
    }
}
