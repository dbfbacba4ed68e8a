import { defineFuzzSuite } from './suite.js';

defineFuzzSuite('github');
