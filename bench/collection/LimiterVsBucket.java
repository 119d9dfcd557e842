import com.google.common.util.concurrent.RateLimiter;
import io.rdsflow.testkit.aliyun.TokenBucket;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Why the measured DAS rounds see a few Throttling.User answers: DasCollector paces each account
 * with Guava's RateLimiter.create(rate), the simulator (like the gateway) admits with a token bucket
 * of the same rate and a burst of one second. This replays one account's round in one JVM, without
 * HTTP: 200 targets on 64 threads, each "start" call, 1 s poll wait, "result" call; a refused call
 * is retried after 200 ms as DasCollector does. Rounds are 3 s apart so both sides refill.
 *
 * <pre>
 * java -cp testkit/target/classes:service/target/rdsflow.jar bench/collection/LimiterVsBucket.java [limiterRate] [rounds]
 * </pre>
 */
public class LimiterVsBucket {
  public static void main(String[] args) throws Exception {
    double limiterRate = args.length > 0 ? Double.parseDouble(args[0]) : 60;
    int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 3;
    double bucketRate = 60;
    RateLimiter limiter = RateLimiter.create(limiterRate);
    TokenBucket bucket = new TokenBucket(bucketRate, bucketRate);
    System.out.printf("limiter %.1f/s (Guava SmoothBursty), bucket %.1f/s with burst %.0f%n", limiterRate, bucketRate, bucketRate);
    for (int r = 1; r <= rounds; r++) {
      AtomicInteger refused = new AtomicInteger();
      AtomicInteger calls = new AtomicInteger();
      ExecutorService pool = Executors.newFixedThreadPool(64);
      long t0 = System.nanoTime();
      for (int i = 0; i < 200; i++) {
        pool.submit(() -> {
          for (int call = 0; call < 2; call++) {
            while (true) {
              limiter.acquire();
              calls.incrementAndGet();
              if (bucket.tryAcquire()) {
                break;
              }
              refused.incrementAndGet();
              Thread.sleep(200);
            }
            if (call == 0) {
              Thread.sleep(1000);
            }
          }
          return null;
        });
      }
      pool.shutdown();
      pool.awaitTermination(1, TimeUnit.MINUTES);
      double s = (System.nanoTime() - t0) / 1e9;
      System.out.printf("round %d: %.2f s, %d calls (bound %.2f s at %.0f/s), %d refused%n", r, s, calls.get(),
          calls.get() / bucketRate, bucketRate, refused.get());
      Thread.sleep(3000);
    }
  }
}
