// Any address no page answers: a 404 inside the app's layout, so the header still shows who is signed in and
// where they can go (without this route Remix answers before the root loader runs, and the user looks signed out).
import { GeneralErrorBoundary } from "~/components/GeneralErrorBoundary";
import type { ActionFunctionArgs } from "@remix-run/node";
import { assertAcceptableWrite, notFound } from "~/utils/auth.server";

export function loader(): never {
  throw notFound();
}

export function action({ request }: ActionFunctionArgs): never {
  // a cross-site post is refused as such, wherever it is sent
  assertAcceptableWrite(request);
  throw notFound();
}

export default function NotFound() {
  return null;
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
