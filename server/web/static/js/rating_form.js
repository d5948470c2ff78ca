// The visitor's rating form behind the tracking link: collects the answers by
// element code and posts them to POST /api/v1/ratings with the tracking token.
// No rule is copied here: the server validates and answers 201 / 409 / 422.
import { Api, ApiError } from "./api.js";

const root = document.getElementById("rate");
const form = document.getElementById("rate-form");
const followup = document.getElementById("rate-followup");
const errorBox = document.getElementById("rate-error");
const thanks = document.getElementById("rate-thanks");
const api = new Api();
const low = Number(followup.dataset.low);

function overall() {
  const checked = form.querySelector("input[name=overall]:checked");
  return checked ? Number(checked.value) : null;
}

form.addEventListener("change", () => {
  const score = overall();
  followup.hidden = !(score !== null && score <= low);
});

function body() {
  const score = overall();
  const blocks = [...form.querySelectorAll(".rate-block")].map((block) => {
    const answers = {};
    for (const item of block.querySelectorAll(".rate-item")) {
      const checked = item.querySelector("input[type=radio]:checked");
      if (checked) answers[item.dataset.code] = Number(checked.value);
    }
    return { questionnaire: block.dataset.questionnaire, version: Number(block.dataset.version), answers };
  });
  const isLow = score !== null && score <= low;
  return {
    tracking_token: root.dataset.token,
    overall: score,
    blocks,
    suggestion: form.elements.suggestion.value.trim() || null,
    contact_me: form.elements.contact_me.checked,
    followup_reasons: isLow ? [...form.querySelectorAll("input[name=reason]:checked")].map((i) => i.value) : [],
    followup_text: isLow ? (form.elements.followup_text.value.trim() || null) : null,
  };
}

form.addEventListener("submit", async (event) => {
  event.preventDefault();
  errorBox.hidden = true;
  if (overall() === null) {
    errorBox.hidden = false;
    return;
  }
  const button = document.getElementById("rate-send");
  button.disabled = true;
  try {
    await api.post("/ratings", body());
    form.hidden = true;
    thanks.hidden = false;
  } catch (err) {
    if (err instanceof ApiError && err.code === "already_rated") {
      // rated meanwhile (on the tablet, or in another tab): say so, not "received"
      form.hidden = true;
      document.getElementById("rate-rated-now").hidden = false;
    } else {
      errorBox.hidden = false;
      button.disabled = false;
    }
  }
});

window.loketRating = { ready: true };
