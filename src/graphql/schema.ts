// The schema index: imports every domain module for its side effects, then builds the schema.
import './builder.js';
import '../business-attributes/business-attribute.type.js';
import '../business-attributes/mutation.define-business-attribute.js';
import '../customers/customer.type.js';
import '../services/service.type.js';
import '../services/mutation.start-service.js';
import { builder } from './builder.js';

export const schema = builder.toSchema({ sortSchema: true });
