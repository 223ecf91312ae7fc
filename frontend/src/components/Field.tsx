import type { InputHTMLAttributes } from 'preact';
import { useId } from 'preact/hooks';

type InputProps = Omit<InputHTMLAttributes, 'id' | 'onInput' | 'value'>;

/** A labelled input; its hint is tied to it with aria-describedby. */
export function Field({
  label,
  hint,
  value,
  onValue,
  ...input
}: InputProps & { label: string; hint?: string; value: string; onValue: (value: string) => void }) {
  const id = useId();
  const hintId = `${id}-hint`;
  return (
    <div class="field">
      <label for={id}>{label}</label>
      <input
        id={id}
        value={value}
        onInput={(event) => {
          onValue(event.currentTarget.value);
        }}
        {...(hint ? { 'aria-describedby': hintId } : {})}
        {...input}
      />
      {hint && (
        <span id={hintId} class="hint">
          {hint}
        </span>
      )}
    </div>
  );
}
