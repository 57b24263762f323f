import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;

/**
 * A TCP proxy on loopback that holds every chunk a client sends for a while before passing it on:
 * each request to a server behind it then costs that much more, as the first byte from a real object
 * store does. java DelayProxy.java LISTEN_PORT TARGET_PORT DELAY_MS (runs until killed).
 */
public class DelayProxy {
    public static void main(String[] args) throws IOException {
        int listen = Integer.parseInt(args[0]);
        int target = Integer.parseInt(args[1]);
        long delayMs = Long.parseLong(args[2]);
        try (ServerSocket server = new ServerSocket()) {
            server.bind(new InetSocketAddress("127.0.0.1", listen));
            while (true) {
                Socket client = server.accept();
                Socket upstream = new Socket("127.0.0.1", target);
                client.setTcpNoDelay(true);
                upstream.setTcpNoDelay(true);
                pump(client, upstream, delayMs);
                pump(upstream, client, 0);
            }
        }
    }

    private static void pump(Socket from, Socket to, long delayMs) {
        Thread t = new Thread(() -> {
            byte[] buffer = new byte[1 << 16];
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                for (int n; (n = in.read(buffer)) >= 0; ) {
                    if (delayMs > 0) {
                        Thread.sleep(delayMs);
                    }
                    out.write(buffer, 0, n);
                    out.flush();
                }
            } catch (IOException | InterruptedException e) {
                // the other side closed
            } finally {
                try {
                    from.close();
                    to.close();
                } catch (IOException ignored) {
                    // closing
                }
            }
        });
        t.setDaemon(true);
        t.start();
    }
}
