// Where the keyboard and the screen reader are after the page changes without a reload. A browser moves focus to
// the top of a new document; a client-side navigation leaves it on the link that was clicked, or on <body>, and
// says nothing. So, after a navigation to another page, focus goes to the page's heading (read out as the new
// page); after a save that came back with a confirmation or an error, to that message; after a form refused with
// field errors, to the first field in error.
import { useLocation, useNavigation } from "@remix-run/react";
import { useEffect, useRef } from "react";

const MESSAGE = 'main [role="status"], main [role="alert"], main .form-error';

function focus(element: HTMLElement | null): boolean {
  if (!element) return false;
  if (!element.matches("a, button, input, select, textarea, [tabindex]")) element.setAttribute("tabindex", "-1");
  element.focus({ preventScroll: false });
  return document.activeElement === element;
}

export function FocusManager() {
  const location = useLocation();
  const navigation = useNavigation();
  const first = useRef(true);
  const path = useRef(location.pathname);
  const submitting = useRef(false);

  useEffect(() => {
    if (first.current) {
      first.current = false;
      return;
    }
    const pageChanged = path.current !== location.pathname;
    path.current = location.pathname;
    if (focus(document.querySelector<HTMLElement>(MESSAGE))) return;
    // a page that is one form puts the cursor in its first field itself (autoFocus): leave it there
    if (pageChanged && document.activeElement?.matches("main input, main select, main textarea")) return;
    if (pageChanged) focus(document.querySelector<HTMLElement>("main h1"));
  }, [location.key, location.pathname]);

  // a submission that ended where it started: the action answered with errors (or a message) instead of a redirect
  useEffect(() => {
    if (navigation.state === "submitting") submitting.current = true;
    else if (navigation.state === "idle" && submitting.current) {
      submitting.current = false;
      focus(document.querySelector<HTMLElement>(MESSAGE)) || focus(document.querySelector<HTMLElement>('main [aria-invalid="true"]'));
    }
  }, [navigation.state]);
  return null;
}
