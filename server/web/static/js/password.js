// Choose a new password with the current (or an admin's temporary) one:
// POST /api/v1/auth/password. Used after an admin resets a password.

import { Api } from "./api.js";
import { loadCatalog, t } from "./i18n.js";

const $ = (id) => document.getElementById(id);
loadCatalog();
const api = new Api();
const params = new URLSearchParams(window.location.search);
if (params.get("u")) $("pw-username").value = params.get("u");

$("password-form").addEventListener("submit", async (e) => {
  e.preventDefault();
  const error = $("pw-error");
  error.hidden = true;
  if ($("pw-new").value !== $("pw-repeat").value) {
    error.textContent = t("pw_mismatch");
    error.hidden = false;
    return;
  }
  try {
    await api.post("/auth/password", {
      username: $("pw-username").value.trim(),
      current_password: $("pw-current").value,
      new_password: $("pw-new").value,
    });
    $("pw-done").hidden = false;
    $("pw-save").disabled = true;
  } catch (err) {
    const key = err.status === 401 ? "pw_wrong" : err.status === 0 ? "err_network"
      : err.code === "same_password" ? "pw_same" : `err_${err.code}`;
    const text = t(key);
    error.textContent = text !== key ? text : t("err_generic", { message: err.message || err.code });
    error.hidden = false;
  }
});
