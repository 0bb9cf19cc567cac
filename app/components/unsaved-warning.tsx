// Warns before leaving a form with unsaved text: the browser's own prompt when the tab is closed or reloaded, and
// a confirm() when a link inside the app is followed. Submitting the form is not leaving it.
import { useBeforeUnload, useBlocker } from "@remix-run/react";
import { type RefObject, useCallback, useEffect, useState } from "react";

export function useUnsavedWarning(formRef: RefObject<HTMLFormElement>, message: string) {
  const [dirty, setDirty] = useState(false);
  useEffect(() => {
    const form = formRef.current;
    if (!form) return;
    const changed = () => setDirty(true);
    const submitted = () => setDirty(false);
    form.addEventListener("input", changed);
    form.addEventListener("change", changed);
    form.addEventListener("submit", submitted);
    return () => {
      form.removeEventListener("input", changed);
      form.removeEventListener("change", changed);
      form.removeEventListener("submit", submitted);
    };
  }, [formRef]);
  useBeforeUnload(
    useCallback(
      (event: BeforeUnloadEvent) => {
        if (!dirty) return;
        event.preventDefault();
        event.returnValue = message;
      },
      [dirty, message],
    ),
  );
  const blocker = useBlocker(({ currentLocation, nextLocation, historyAction }) => dirty && historyAction !== "REPLACE" && (currentLocation.pathname !== nextLocation.pathname || currentLocation.search !== nextLocation.search) && !nextLocation.search.includes("notice="));
  useEffect(() => {
    if (blocker.state !== "blocked") return;
    if (window.confirm(message)) blocker.proceed();
    else blocker.reset();
  }, [blocker, message]);
}
