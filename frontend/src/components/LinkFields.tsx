import { useId } from 'preact/hooks';
import { EXPIRY_CHOICES } from '../pages/files/share-state';

/** A link's address, read-only and selected whole on focus, labelled for screen readers. */
export function LinkAddress({ url, label = 'Link' }: { url: string; label?: string }) {
  const id = useId();
  return (
    <div class="share-line">
      <label class="visually-hidden" for={id}>
        {label}
      </label>
      <input
        id={id}
        class="share-url"
        readOnly
        value={url}
        onFocus={(event) => {
          event.currentTarget.select();
        }}
      />
    </div>
  );
}

/** How long a link (a share, or a file request) stays open: one of EXPIRY_CHOICES, in seconds. */
export function ExpiryField({
  label,
  seconds,
  onChange,
}: {
  label: string;
  seconds: number;
  onChange: (seconds: number) => void;
}) {
  const id = useId();
  return (
    <div class="field">
      <label for={id}>{label}</label>
      <select
        id={id}
        value={String(seconds)}
        onChange={(event) => {
          onChange(Number(event.currentTarget.value));
        }}
      >
        {EXPIRY_CHOICES.map((choice) => (
          <option key={choice.seconds} value={String(choice.seconds)}>
            {choice.label}
          </option>
        ))}
      </select>
    </div>
  );
}
