#!/usr/bin/env python3
"""Writes cpython-proto{2,4,5}.pth: PyTorch-style zip checkpoints whose data.pkl is written by
CPython's own pickler (no torch needed: stand-in classes carry torch's module names), so the Java
reader is checked against real pickler output (frames, MEMOIZE, STACK_GLOBAL, copyreg, sets,
bytes, bytearray, big ints). Run from this folder: python3 make_cpython_fixtures.py"""
import argparse
import collections
import io
import pathlib
import pickle
import struct
import sys
import types
import zipfile

torch = types.ModuleType('torch')
utils = types.ModuleType('torch._utils')
sys.modules['torch'] = torch
sys.modules['torch._utils'] = utils
torch._utils = utils


class FloatStorage:
    pass


class HalfStorage:
    pass


for c in (FloatStorage, HalfStorage):
    c.__module__ = 'torch'
    setattr(torch, c.__name__, c)


def _rebuild_tensor_v2(*args):
    raise AssertionError('never called')


_rebuild_tensor_v2.__module__ = 'torch._utils'
utils._rebuild_tensor_v2 = _rebuild_tensor_v2


class Storage:
    def __init__(self, cls, key, numel):
        self.cls, self.key, self.numel = cls, key, numel


class Tensor:
    def __init__(self, storage, offset, size, stride):
        self.args = (storage, offset, size, stride, False, collections.OrderedDict())

    def __reduce__(self):
        return (_rebuild_tensor_v2, self.args)


class TorchLikePickler(pickle.Pickler):
    def persistent_id(self, obj):
        if isinstance(obj, Storage):
            return ('storage', obj.cls, obj.key, 'cpu', obj.numel)
        return None


s0 = Storage(FloatStorage, '0', 12)
state_dict = collections.OrderedDict()
state_dict['a'] = Tensor(s0, 0, (3, 4), (4, 1))
state_dict['a_t'] = Tensor(s0, 1, (4, 2), (1, 4))
state_dict['h'] = Tensor(Storage(HalfStorage, '1', 2), 0, (2,), (1,))
top = {
    'state_dict': state_dict,
    'hparams': argparse.Namespace(lr=0.1, out=pathlib.PurePosixPath('/x/y')),
    'set': {1, 2},
    'frozen': frozenset([3]),
    'bytes': b'\x00\xff',
    'bytearray': bytearray(b'ab'),
    'big': 2 ** 70,
    'float': 1.5,
    'nested': [(1, 2), {'x': None}],
}
for proto in (2, 4, 5):
    buf = io.BytesIO()
    TorchLikePickler(buf, protocol=proto).dump(top)
    with zipfile.ZipFile(f'cpython-proto{proto}.pth', 'w', zipfile.ZIP_STORED) as z:
        z.writestr('archive/data.pkl', buf.getvalue())
        z.writestr('archive/byteorder', 'little')
        z.writestr('archive/data/0', struct.pack('<12f', *range(12)))
        z.writestr('archive/data/1', struct.pack('<2e', 1.0, -2.0))
        z.writestr('archive/version', '3\n')
