<?php

namespace App\Models;

use Illuminate\Database\Eloquent\Model;

class Order extends Model
{
    protected $fillable = ['table_no', 'item', 'quantity', 'status', 'processed_at'];

    protected $casts = [
        'quantity' => 'integer',
        'processed_at' => 'datetime',
    ];
}
