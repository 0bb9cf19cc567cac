// One language version of a drafted progress report: a textarea prefilled with the generated text that the user
// edits, a copy button (the clipboard API, falling back to selecting everything for Ctrl+C) and a way back to the
// generated text. Nothing is saved on the server: the draft is a starting point the user takes away.
import { useRef, useState } from "react";
import { useI18n } from "~/utils/i18n-hooks";

/** Removes the editor's notes (lines wholly in 【…】 or […]) that say where figures come from. */
export function stripNotes(text: string): string {
  return text
    .split("\n")
    .filter((line) => !/^\s*(【[^\n]*】|\[[^\n]*\])\s*$/.test(line))
    .join("\n")
    .replace(/\n{3,}/g, "\n\n")
    .trim();
}

type Message = "copied" | "fallback" | "restored" | null;

export function DraftEditor({
  id,
  heading,
  lang,
  generated,
}: {
  id: string;
  heading: string;
  lang: string;
  generated: string;
}) {
  const { t } = useI18n();
  const ref = useRef<HTMLTextAreaElement>(null);
  const [message, setMessage] = useState<Message>(null);
  const [strip, setStrip] = useState(true);

  async function copy() {
    const el = ref.current;
    if (!el) return;
    const value = strip ? stripNotes(el.value) : el.value;
    try {
      if (!navigator.clipboard?.writeText) throw new Error("no clipboard");
      await navigator.clipboard.writeText(value);
      setMessage("copied");
    } catch {
      // no clipboard access (an insecure page, a refused permission): select it all for the user to copy
      el.focus();
      el.select();
      setMessage("fallback");
    }
  }

  function restore() {
    if (!ref.current) return;
    ref.current.value = generated;
    setMessage("restored");
  }

  return (
    <section className="card draft-editor" id={id} aria-labelledby={`${id}-heading`}>
      <h2 id={`${id}-heading`}>{heading}</h2>
      <textarea
        ref={ref}
        className="draft-text"
        lang={lang}
        rows={28}
        defaultValue={generated}
        aria-label={t("drafts.editor_label", { version: heading })}
        spellCheck={false}
        onInput={() => setMessage(null)}
      />
      <div className="draft-actions">
        <button type="button" className="primary draft-copy" onClick={copy}>
          {t("drafts.copy")}
        </button>
        <button type="button" className="draft-restore" onClick={restore}>
          {t("drafts.restore")}
        </button>
        <label className="check">
          <input type="checkbox" checked={strip} onChange={(e) => setStrip(e.target.checked)} />
          {t("drafts.strip_notes")}
        </label>
      </div>
      <p className="muted draft-message" role="status" aria-live="polite">
        {message ? t(`drafts.message.${message}`) : ""}
      </p>
    </section>
  );
}
