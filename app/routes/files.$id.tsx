// GET /files/<id>: an evidence file (佐证材料), downloaded. Readable by everyone signed in, like the activity or
// report it belongs to (a file in the recycle bin too, like a deleted activity: an approved period's ledger may
// still link to it). Always an attachment, with the type found in its content and nosniff, so the browser never
// runs or renders it as a page; `?inline=1` shows an image where it is (the activity page's thumbnails), and only
// an image. The bytes are read only here.
import type { LoaderFunctionArgs } from "@remix-run/node";
import { isImageType } from "~/domain/evidence-files";
import { getEvidenceFile, readEvidenceFileBytes } from "~/models/evidence-file.server";
import { contentDisposition } from "~/services/excel-format.server";
import { notFound, requireUser } from "~/utils/auth.server";
import { db } from "~/utils/db.server";
import { requireId } from "~/utils/params.server";
import { withSecurityHeaders } from "~/utils/security-headers.server";

export async function loader({ request, params }: LoaderFunctionArgs) {
  await requireUser(request);
  const id = requireId(params.id);
  const file = await getEvidenceFile(db, id);
  if (!file) throw notFound();
  const bytes = await readEvidenceFileBytes(db, id);
  if (!bytes) throw notFound();
  const inline = new URL(request.url).searchParams.get("inline") === "1" && isImageType(file.content_type);
  const extension = /\.([A-Za-z0-9]{1,5})$/.exec(file.name)?.[1] ?? "bin";
  return withSecurityHeaders(
    // the stored bytes as they are (no copy): a Buffer is a Uint8Array, which Response takes
    new Response(bytes as Uint8Array as unknown as ArrayBuffer, {
      status: 200,
      headers: {
        "Content-Type": file.content_type,
        "Content-Length": String(bytes.length),
        "Content-Disposition": contentDisposition(file.name, `evidence-${file.id}.${extension}`, inline ? "inline" : "attachment"),
        "Cache-Control": "private, no-store",
        "X-Content-Type-Options": "nosniff",
      },
    }),
  );
}
