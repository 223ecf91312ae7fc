// Shows the stack's discovery document, so a newcomer sees where the API and sign-in live.
fetch("/config.json")
  .then((r) => r.json())
  .then((config) => {
    document.getElementById("config").textContent = JSON.stringify(config, null, 2);
  });
