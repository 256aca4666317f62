package dev.aionet.core;

/**
 * A {@link java.util.function.BiFunction} that may throw: a throw fails the derived promise.
 *
 * @param <A> the first argument type
 * @param <B> the second argument type
 * @param <R> the result type
 * @since 0.1
 */
@FunctionalInterface
public interface ThrowingBiFunction<A, B, R> {
  /**
   * Applies this function.
   *
   * @param first the first argument
   * @param second the second argument
   * @return the result
   * @throws Exception any failure, which fails the derived promise
   */
  R apply(A first, B second) throws Exception;
}
