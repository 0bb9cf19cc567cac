// The per-request CSP nonce, from entry.server to the <Scripts>/<ScrollRestoration> in app/root.tsx. In the
// browser it is "": the scripts already ran, and browsers hide a nonce from the DOM after reading it anyway.
import { createContext, useContext } from "react";

const NonceContext = createContext("");
export const NonceProvider = NonceContext.Provider;
export const useNonce = () => useContext(NonceContext);
