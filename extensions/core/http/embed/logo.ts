/** The default bubble icon (`bubble_icon: logo`): a speech bubble on LangBot's blue, as one small inline SVG. */
export const LOGO_SVG = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 64 64" width="64" height="64" role="img" aria-label="LangBot">
<defs><linearGradient id="lb" x1="0" y1="0" x2="1" y2="1"><stop offset="0" stop-color="#3b82f6"/><stop offset="1" stop-color="#6d28d9"/></linearGradient></defs>
<rect width="64" height="64" rx="16" fill="url(#lb)"/>
<path d="M18 18h28a6 6 0 0 1 6 6v14a6 6 0 0 1-6 6H30l-9 7v-7h-3a6 6 0 0 1-6-6V24a6 6 0 0 1 6-6z" fill="#fff"/>
<circle cx="24" cy="31" r="3" fill="#4f46e5"/><circle cx="32" cy="31" r="3" fill="#4f46e5"/><circle cx="40" cy="31" r="3" fill="#4f46e5"/>
</svg>
`;
