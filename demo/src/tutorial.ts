/**
 * NumPy's tutorial "Copies and Views" (NumPy Quickstart, © 2008-2023 NumPy Developers, BSD licence) as
 * steps of playground statements. The statements are the tutorial's own, with `print(... .format(...))`
 * reduced to the expression it prints.
 */

export interface TutorialStep {
  section: string;
  text: string;
  code: string;
}

export const TUTORIAL: readonly TutorialStep[] = [
  {
    section: 'No Copy at All',
    text: 'Simple assignments make no copy of array objects or of their data.',
    code: `a = np.array([[0, 1, 2, 3],
              [4, 5, 6, 7],
              [8, 9, 10, 11]])
b = a  # no new object is created
b is a  # a and b are two names for the same ndarray object`,
  },
  {
    section: 'No Copy at All',
    text: 'Python passes mutable objects as references, so function calls make no copy. id() is a unique identifier of an object: a and b are one.',
    code: `id(a)
id(b)`,
  },
  {
    section: 'View or Shallow Copy',
    text: 'Different array objects can share the same data. The view method creates a new array object that looks at the same data.',
    code: `c = a.view()  # c is a view of the data owned by a
c is a
c.base is a  # c is a view of the data owned by a
c.flags.owndata  # c does not own the data`,
  },
  {
    section: 'View or Shallow Copy',
    text: "Reshaping the view gives it a new shape and new strides over the same cells; a's shape doesn't change.",
    code: `c = c.reshape((2, 6))  # a's shape doesn't change
a.shape`,
  },
  {
    section: 'View or Shallow Copy',
    text: "Writing through the view changes a's data: the cell lights up in every array over the buffer.",
    code: `c[0, 4] = 1234  # a's data changes
a`,
  },
  {
    section: 'Slicing',
    text: 'Slicing an array returns a view of it. Note the difference between s = 10 (rebinds the name) and s[:] = 10 (writes through the view).',
    code: `s = a[:, 1:3]
s[:] = 10  # s[:] is a view of s
a`,
  },
  {
    section: 'Deep Copy',
    text: 'The copy method makes a complete copy of the array and its data.',
    code: `d = a.copy()  # a new array object with new data is created
d is a
d.base is a  # d doesn't share anything with a
d[0, 0] = 9999
a`,
  },
  {
    section: 'Copy after slicing',
    text: 'Sometimes copy should be called after slicing if the original array is not required anymore: b keeps only what it needs, and del a releases the rest. (The tutorial uses int(1e8) elements; 1,000 here, so that the buffer can be drawn.)',
    code: `a = np.arange(1000)  # the tutorial: np.arange(int(1e8))
b = a[:100].copy()
del a  # the memory of a can be released`,
  },
  {
    section: 'Copy after slicing',
    text: 'If b = a[:100] is used instead, a is referenced by b and will persist in memory even if del a is executed: watch the memory held in the header.',
    code: `a = np.arange(1000)
b = a[:100]
del a
b.base is None`,
  },
];
