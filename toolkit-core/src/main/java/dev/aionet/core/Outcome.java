package dev.aionet.core;


/**
 * The settled outcome of one promise, as {@link Aio#gatherSettled} reports it: asyncio's
 * {@code gather(..., return_exceptions=True)} entry, made type-safe.
 *
 * <p>A cancelled promise is a failure whose {@link #error()} is a {@link CancelledException},
 * as asyncio puts a {@code CancelledError} instance in the list.
 *
 * @param <T> the value type
 * @since 0.1
 */
public final class Outcome<T> {
  private final T value;
  private final Throwable error;

  private Outcome(T value, Throwable error) {
    this.value = value;
    this.error = error;
  }

  /**
   * A successful outcome.
   *
   * @param value the value, may be {@code null}
   * @param <T> the value type
   * @return the outcome
   */
  public static <T> Outcome<T> success(T value) {
    return new Outcome<>(value, null);
  }

  /**
   * A failed (or cancelled) outcome.
   *
   * @param error the failure; a {@link CancelledException} for a cancellation
   * @param <T> the value type
   * @return the outcome
   */
  public static <T> Outcome<T> failure(Throwable error) {
    if (error == null) {
      throw new NullPointerException("error");
    }
    return new Outcome<>(null, error);
  }

  /**
   * Returns whether the promise succeeded.
   *
   * @return true for a value, false for a failure or a cancellation
   */
  public boolean isSuccess() {
    return error == null;
  }

  /**
   * Returns the value of a successful outcome.
   *
   * @return the value, possibly {@code null}
   * @throws IllegalStateException if the outcome is a failure (the failure is its cause)
   */
  public T value() {
    if (error != null) {
      throw new IllegalStateException("Outcome is a failure: " + error, error);
    }
    return value;
  }

  /**
   * Returns the failure, or {@code null} for a success.
   *
   * @return the failure (a {@link CancelledException} for a cancellation), or {@code null}
   */
  public Throwable error() {
    return error;
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof Outcome)) {
      return false;
    }
    Outcome<?> other = (Outcome<?>) o;
    return java.util.Objects.equals(value, other.value) && java.util.Objects.equals(error, other.error);
  }

  @Override
  public int hashCode() {
    return java.util.Objects.hash(value, error);
  }

  @Override
  public String toString() {
    return error == null ? "Outcome(success: " + value + ")" : "Outcome(failure: " + error + ")";
  }
}
