// Only the Bootstrap Italia components the shared layout uses: the mobile menu
// and collapsible sections. Pages that need more import their own modules.
import "../bootstrap-italia/plugins/navbar-collapsible.js";
import "../bootstrap-italia/plugins/collapse.js";
