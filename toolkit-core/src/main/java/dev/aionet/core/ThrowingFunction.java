package dev.aionet.core;

/**
 * A {@link java.util.function.Function} that may throw: a throw fails the derived promise.
 *
 * @param <A> the argument type
 * @param <R> the result type
 * @since 0.1
 */
@FunctionalInterface
public interface ThrowingFunction<A, R> {
  /**
   * Applies this function.
   *
   * @param argument the argument
   * @return the result
   * @throws Exception any failure, which fails the derived promise
   */
  R apply(A argument) throws Exception;
}
