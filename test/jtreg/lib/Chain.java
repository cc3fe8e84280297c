import io.jpmem.objects.ObjectSpace;
import io.jpmem.objects.Persistent;

/**
 * A program of the suite, run in child VMs of the image: a persistent singly linked chain in the
 * default heap ({@code -Djpmem.heap}). {@code add N}: N links, one transaction each, printing
 * {@code ready} after the first; {@code verify}: walks the chain and prints {@code links=N consistent}.
 * Its {@code @Persistent} classes are not enhanced at build time: the image enhances them as they load.
 */
public final class Chain {

    @Persistent
    static final class Head {
        Link first;
        Link last;
        long count;
    }

    @Persistent
    static final class Link {
        long number;
        Link next;

        Link(long number) {
            this.number = number;
        }
    }

    public static void main(String[] args) {
        ObjectSpace space = ObjectSpace.defaultSpace();
        Head head = space.heap().transactionResult(tx -> {
            Head h = space.root("chain", Head.class);
            if (h == null) {
                h = new Head();
                space.setRoot("chain", h);
            }
            return h;
        });
        if (args[0].equals("add")) {
            long n = Long.parseLong(args[1]);
            for (long i = 0; i < n; i++) {
                space.heap().transaction(tx -> {
                    Link link = new Link(head.count + 1);
                    if (head.last == null) {
                        head.first = link;
                    } else {
                        head.last.next = link;
                    }
                    head.last = link;
                    head.count++;
                });
                if (i == 0) {
                    System.out.println("ready");
                    System.out.flush();
                }
            }
            System.out.println("links=" + head.count);
        } else {
            long walked = 0;
            Link last = null;
            for (Link l = head.first; l != null; l = l.next) {
                if (l.number != walked + 1) {
                    throw new IllegalStateException("link " + walked + " has number " + l.number);
                }
                walked++;
                last = l;
            }
            if (walked != head.count || last != head.last) {
                throw new IllegalStateException("count " + head.count + ", walked " + walked + ", last is tail: " + (last == head.last));
            }
            System.out.println("links=" + walked + " consistent");
        }
    }
}
