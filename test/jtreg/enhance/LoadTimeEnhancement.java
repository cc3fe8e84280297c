/*
 * @test
 * @summary the image's java enhances persistent classes of the class path as they load (no agent, no build step)
 * @run main/othervm LoadTimeEnhancement
 */

import io.jpmem.heap.HeapOptions;
import io.jpmem.heap.PersistentHeap;
import io.jpmem.objects.ObjectSpace;
import io.jpmem.objects.Persistent;
import io.jpmem.objects.PersistentObject;
import io.jpmem.persist.Durability;
import java.nio.file.Files;
import java.nio.file.Path;

public class LoadTimeEnhancement {

    @Persistent
    static class Account {
        long balance;
        String owner;

        Account(String owner, long balance) {
            this.owner = owner;
            this.balance = balance;
        }
    }

    public static void main(String[] args) throws Exception {
        check(ClassLoader.getSystemClassLoader().getClass().getName().equals("io.jpmem.enhancer.EnhancingSystemClassLoader"),
                "the image's system class loader enhances: " + ClassLoader.getSystemClassLoader());
        check(PersistentObject.class.isAssignableFrom(Account.class), "Account was enhanced as it loaded");
        try {
            Account.class.getDeclaredField("balance");
            throw new AssertionError("the Java field should be gone");
        } catch (NoSuchFieldException expected) {
            // moved into the persistent block
        }
        Path file = Path.of("enhance.heap").toAbsolutePath();
        Files.deleteIfExists(file);
        HeapOptions options = HeapOptions.defaults().withDurability(Durability.PROCESS).withMaxByteSize(1 << 20);
        try (PersistentHeap heap = PersistentHeap.create(file, options)) {
            ObjectSpace space = ObjectSpace.of(heap);
            heap.transaction(tx -> space.setRoot("account", new Account("ada", 42)));
        }
        try (PersistentHeap heap = PersistentHeap.open(file, options)) {
            Account account = ObjectSpace.of(heap).root("account", Account.class);
            check(account.balance == 42 && account.owner.equals("ada"), "the fields survived reopen");
        }
    }

    private static void check(boolean condition, String message) {
        if (!condition) {
            throw new AssertionError(message);
        }
    }
}
