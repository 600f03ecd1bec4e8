<?php

// Only the rules this app uses (routes: POST /api/orders).
return [
    'required' => 'The :attribute field is required.',
    'string' => 'The :attribute must be a string.',
    'integer' => 'The :attribute must be an integer.',
    'min' => ['numeric' => 'The :attribute must be at least :min.', 'string' => 'The :attribute must be at least :min characters.'],
    'max' => ['numeric' => 'The :attribute may not be greater than :max.', 'string' => 'The :attribute may not be greater than :max characters.'],
    'attributes' => [],
];
