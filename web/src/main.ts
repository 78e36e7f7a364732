// Placeholder page: the web interface's own sources replace this file.
import "./main.css";

const app = document.getElementById("app");
if (app) {
  const title = document.createElement("h1");
  title.textContent = "Agora";
  app.replaceChildren(title);
}
