// What the page tells its scripts: the org, the session's user and the token Aura requests carry.
const element = document.getElementById('lp-bootstrap');
export const context = element ? JSON.parse(element.textContent) : {};
