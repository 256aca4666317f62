package dev.aionet.core;

/**
 * A {@link java.util.function.BiConsumer} that may throw: a throw fails the derived promise.
 *
 * @param <A> the first argument type
 * @param <B> the second argument type
 * @since 0.1
 */
@FunctionalInterface
public interface ThrowingBiConsumer<A, B> {
  /**
   * Performs this action.
   *
   * @param first the first argument
   * @param second the second argument
   * @throws Exception any failure, which fails the derived promise
   */
  void accept(A first, B second) throws Exception;
}
