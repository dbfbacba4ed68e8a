import { defineFuzzSuite } from './suite.js';

defineFuzzSuite('fetch');
