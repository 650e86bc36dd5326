// Passkeys (WebAuthn) for identity's pages. A form marked data-passkey="create" or "get" runs the browser's ceremony
// on submit: it fetches the options the server made (anti-forgery token as header), asks the authenticator, and
// submits the form with the credential as JSON in its hidden CredentialJson field. The server verifies everything;
// this file only carries the data. No inline script: the pages' CSP allows scripts from this origin only.
(() => {
    "use strict";

    const supported = () =>
        typeof window.PublicKeyCredential === "function" &&
        typeof PublicKeyCredential.parseCreationOptionsFromJSON === "function" &&
        typeof PublicKeyCredential.parseRequestOptionsFromJSON === "function";

    const showError = (form, text) => {
        const target = document.getElementById(form.dataset.errorTarget);
        if (target) {
            target.textContent = text;
            target.hidden = false;
            target.focus?.();
        }
    };

    const fetchOptions = async (form) => {
        const token = form.querySelector("input[name='__RequestVerificationToken']")?.value ?? "";
        const response = await fetch(form.dataset.options, {
            method: "POST",
            headers: { "RequestVerificationToken": token },
            credentials: "same-origin",
        });
        if (!response.ok) {
            throw new Error(`options: ${response.status}`);
        }
        return response.json();
    };

    const ceremony = async (form) => {
        const options = await fetchOptions(form);
        const credential = form.dataset.passkey === "create"
            ? await navigator.credentials.create({ publicKey: PublicKeyCredential.parseCreationOptionsFromJSON(options) })
            : await navigator.credentials.get({ publicKey: PublicKeyCredential.parseRequestOptionsFromJSON(options) });
        if (!credential) {
            throw new Error("no credential");
        }
        return JSON.stringify(credential);
    };

    for (const form of document.querySelectorAll("form[data-passkey]")) {
        form.addEventListener("submit", async (event) => {
            const field = form.querySelector("input[name='CredentialJson']");
            if (field.value) {
                return;
            }
            event.preventDefault();
            if (!supported()) {
                showError(form, form.dataset.unsupported);
                return;
            }
            const button = form.querySelector("button[type='submit']");
            button.disabled = true;
            try {
                field.value = await ceremony(form);
                form.submit();
            } catch (error) {
                console.warn("passkey ceremony failed", error);
                field.value = "";
                showError(form, form.dataset.error);
            } finally {
                button.disabled = false;
            }
        });
    }
})();
