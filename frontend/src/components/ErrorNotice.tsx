/** A failure in words, with a way to try again when trying again can help. */
export function ErrorNotice({ message, onRetry }: { message: string; onRetry?: (() => void) | undefined }) {
  return (
    <div class="notice error" role="alert">
      <p>{message}</p>
      {onRetry && (
        <button type="button" class="button small secondary" onClick={onRetry}>
          Try again
        </button>
      )}
    </div>
  );
}
