/**
 * Stable codes of the runtime's errors, report entries and patch skip reasons. Each is
 * documented in docs/codes.md (what it means, what to do); a test checks that.
 */
export const RuntimeCode = {
  /** Site skipped: its variable was not registered before seal(). */
  notRegistered: 'HP2001',
  /** Variable unreadable at seal() (its getter threw, e.g. TDZ); its sites stay loads. */
  unreadable: 'HP2002',
  /** Variable registered more than once with different values at seal(); its sites stay loads. */
  conflicting: 'HP2003',
  /** Site skipped: the sealed value has no literal (object, function, symbol). */
  noLiteral: 'HP2004',
  /** Site skipped: the literal is longer than the slot. */
  tooLong: 'HP2005',
  /** Site skipped: the module has no slot for this record. */
  slotMissing: 'HP2006',
  /** Site skipped: the slot's marker occurs more than once. */
  slotAmbiguous: 'HP2007',
  /** Site skipped: the slot does not hold exactly what the compiler wrote. */
  slotMismatch: 'HP2008',
  /** Module skipped: its record table cannot be read. */
  tableInvalid: 'HP2009',
  /** Module skipped: its record table has another site format version. */
  tableVersion: 'HP2010',
  /** Module with sites ran before seal(): its sites stay loads. */
  loadedBeforeSeal: 'HP2011',
  /** Module with sites ran after seal() but no module hook patched it. */
  notPatched: 'HP2012',
  /** A static variable was registered after seal(): not sealed, its sites stay loads. */
  registeredAfterSeal: 'HP2013',
  /** Module hooks could not be installed: nothing is patched. */
  noHooks: 'HP2014',
  /** verifyStaticVariables(): a value changed after seal(); patched sites hold the old one. */
  changedAfterSeal: 'HP2015',
  /** Site skipped: which loaded module declares its variable is unknown (no module URL, no `from`, or it does not resolve). */
  unknownDeclaringModule: 'HP2016',
  /** Site skipped: a module hook resolves (or may resolve) the reader's import of the declaring module elsewhere. */
  redirected: 'HP2017',
  /** Warning: STATIC_VARIABLE_LOAD ran after seal(), in a module no pass patched. */
  markerAfterSeal: 'HP2018',
  /** Error: seal() called a second time. */
  sealTwice: 'HP2020',
  /** Error: a `@boot` function called after seal(). */
  bootAfterSeal: 'HP2021',
} as const;

export type RuntimeCode = (typeof RuntimeCode)[keyof typeof RuntimeCode];
