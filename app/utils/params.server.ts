import { notFound } from "./auth.server";

/** A route's numeric id, or 404 for anything that is not one ("abc", "1.5", "-3", "1e9"). */
export function requireId(value: string | undefined): number {
  if (!value || !/^[1-9]\d{0,14}$/.test(value)) throw notFound();
  return Number(value);
}
