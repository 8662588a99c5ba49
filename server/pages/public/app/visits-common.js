// Shared by the home-visit pages: plan state badges.
window.hsbStateClass = function (state) {
  return { none: 'bg-secondary', draft: 'bg-info text-dark', submitted: 'bg-warning text-dark', approved: 'bg-success', returned: 'bg-danger' }[state] || 'bg-secondary';
};
