import { defineFuzzSuite } from './suite.js';

defineFuzzSuite('postgres');
